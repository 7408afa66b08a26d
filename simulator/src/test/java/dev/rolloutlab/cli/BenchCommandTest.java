package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the refusals: a bench itself runs for minutes. */
class BenchCommandTest {
    @Test
    void thePlatformBenchMeasuresOnlyTheLocalPlatform() {
        Cli run = Cli.run("bench", "--platform", "kubernetes");

        assertThat(run.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--platform takes local");
    }

    @Test
    void aTrialShorterThanThreeTimeoutsIsRefused() {
        Cli run = Cli.run("bench", "--platform", "local", "--duration", "2s", "--timeout", "1s");

        assertThat(run.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("at least 3 times --timeout");
    }

    @Test
    void thePlatformBenchDrivesItsOwnReplicas() {
        Cli run = Cli.run("bench", "--platform", "local", "--target", "http://127.0.0.1:9/");

        assertThat(run.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("leave out --target");
    }
}
