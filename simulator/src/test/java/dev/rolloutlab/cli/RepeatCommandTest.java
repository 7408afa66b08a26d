package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.repeat.MetricSummary;
import dev.rolloutlab.repeat.RepeatJson;
import dev.rolloutlab.repeat.RepeatSummary;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --repeat N} and {@code repeat: N}: N runs, each in its folder, and the summary on their medians. */
class RepeatCommandTest {
    @TempDir
    Path dir;

    // The first two scenarios tolerate a late generator (500 ms, 5 %): they test the repeat, not the generator, and a
    // JIT-cold generator on a busy 2-core machine can fall 50 ms behind in a 1 s run.
    @Test
    void repeatRunsEachInItsFolderAndChecksTheGatesOnTheMedians() throws Exception {
        Path scenario = dir.resolve("flaky.yaml");
        Files.writeString(scenario, """
            name: flaky
            service: { replicas: 2, stable: { version: v1, behavior: { errorRate: 0.2 } } }
            load: { rate: 200/s, duration: 1s, warmup: 1s, maxSendLag: 500ms, maxGeneratorLimited: 5% }
            gates:
              errorRate: { max: 0.01 }
            """);
        Path out = dir.resolve("out");

        Cli ran = Cli.run("run", scenario.toString(), "--repeat", "3", "--out", out.toString());

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).contains("rollout-lab: repeat 1 of 3", "rollout-lab: repeat 3 of 3",
            "flaky: completed over 3 runs (3 completed)").containsPattern("gate errorRate +median 0\\.\\d+ \\[")
            .contains("wrote " + out.resolve("repeat.json"));
        RepeatSummary s = RepeatJson.read(out.resolve("repeat.json"));
        assertThat(s.runs()).extracting(r -> r.folder()).containsExactly("run-1", "run-2", "run-3");
        MetricSummary errorRate = s.metrics().get("errorRate");
        for (int i = 1; i <= 3; i++) {
            RunResult run = ResultJson.read(out.resolve("run-" + i + "/result.json"));
            assertThat(errorRate.values().get(i - 1)).isEqualTo(run.metrics().errorRate());
            assertThat(out.resolve("run-" + i + "/report.html")).exists();
        }
        // 200 requests of which each fails with probability 0.2: ± 3 standard deviations is ± 0.085.
        assertThat(errorRate.median()).isCloseTo(0.2, within(0.085));
        assertThat(s.gates()).singleElement().satisfies(g -> {
            assertThat(g.actual()).isEqualTo(errorRate.median());
            assertThat(g.passed()).isFalse();
        });
        assertThat(Files.readString(out.resolve("summary.md"))).startsWith("## ❌ flaky: completed, 3 runs");
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("failures=\"1\"", "errorRate median");
    }

    @Test
    void theScenarioKeyRepeatsAndPassingGatesExitZero() {
        Path scenario = dir.resolve("steady.yaml");
        write(scenario, """
            name: steady
            repeat: 2
            service: { replicas: 2 }
            load: { rate: 200/s, duration: 1s, warmup: 1s, maxSendLag: 500ms, maxGeneratorLimited: 5% }
            gates:
              errorRate: { max: 0.01 }
            """);
        Path out = dir.resolve("steady");

        Cli ran = Cli.run("run", scenario.toString(), "--out", out.toString());

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_OK);
        assertThat(RepeatJson.read(out.resolve("repeat.json")).runs()).hasSize(2);
        assertThat(out.resolve("run-2/result.json")).exists();
        assertThat(out.resolve("result.json")).doesNotExist();
    }

    /** As {@code RunCommandTest}'s capped run: two connections for 30 requests in flight. */
    @Test
    void anInvalidRunMakesTheRepeatInvalidAndExitsThree() {
        Path scenario = dir.resolve("capped.yaml");
        write(scenario, """
            name: capped
            service: { replicas: 2, stable: { version: v1, behavior: { latency: 300ms } } }
            load: { rate: 100/s, duration: 1s, timeout: 1s, connections: 2, maxConnections: 2, warmup: 0s }
            gates:
              errorRate: { max: 0.5 }
            """);
        Path out = dir.resolve("capped");

        Cli ran = Cli.run("run", scenario.toString(), "--repeat", "2", "--out", out.toString());

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_RUN_FAILED);
        RepeatSummary s = RepeatJson.read(out.resolve("repeat.json"));
        assertThat(s.outcome()).isEqualTo("invalid");
        assertThat(s.gates()).singleElement().satisfies(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.reason()).startsWith("run-1, run-2: invalid measurement");
        });
    }

    @Test
    void aRepeatBelowOneIsBadInputNamingTheKey() {
        Path scenario = dir.resolve("zero.yaml");
        write(scenario, """
            load: { rate: 100/s, duration: 1s }
            """);

        Cli ran = Cli.run("run", scenario.toString(), "--repeat", "0", "--out", dir.resolve("zero").toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).contains("zero.yaml", "repeat").doesNotContain("Exception");
        assertThat(dir.resolve("zero")).doesNotExist();
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
