package dev.rolloutlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.cli.Main;
import dev.rolloutlab.cli.ValidateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ValidateCommandTest {
    private static final String VALID = "src/test/resources/scenarios/valid/";
    private static final String MALFORMED = "src/test/resources/scenarios/malformed/";
    private static final String NL = System.lineSeparator();

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void summarisesEachValidFile() {
        Run run = run(VALID + "full.yaml", VALID + "minimal.yaml");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(
            "ok  " + VALID + "full.yaml  (canary-bad-release, strategy canary, 6 faults, duration 1m)" + NL
            + "ok  " + VALID + "minimal.yaml  (minimal, load-only, 0 faults, duration 10s)" + NL);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checksEveryFileAndFailsIfAnyIsBad() {
        Run run = run(MALFORMED + "zero-replicas.yaml", VALID + "minimal.yaml", MALFORMED + "empty.yaml");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.out()).startsWith("ok  " + VALID + "minimal.yaml");
        assertThat(run.err()).isEqualTo(
            MALFORMED + "zero-replicas.yaml:3:21: service.replicas: must be at least 1, got 0" + NL
            + MALFORMED + "empty.yaml:1:1: empty scenario (expected a mapping with at least a load section)" + NL);
    }

    @Test
    void needsAtLeastOneFile() {
        assertThat(run().exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ValidateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
