package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI example under {@code ci-example/}: its scenario validates, and its local pipeline passes its own checks. */
class CiExampleTest {
    private static final Path EXAMPLE = Path.of("..", "ci-example");

    @TempDir
    Path dir;

    @Test
    void theScenarioIsValid() {
        Cli ran = Cli.run("validate", EXAMPLE.resolve("scenario.yaml").toString());

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_OK);
    }

    /**
     * run-locally.sh with this build's classes instead of the launcher's jar: main's runs, a pull request that
     * changes nothing (exit 0) and one with a slower v2 (diff says "changed", exit 1), files and exit codes checked by
     * the script. Twelve whole runs (about 3 minutes), so in the stress suite; on a machine too busy for the generator
     * a run is invalid and the script says so (exit 3 of gate.sh).
     */
    @Test
    @Tag("stress")
    void theLocalPipelinePassesItsChecks() throws Exception {
        Path log = dir.resolve("run-locally.log");
        ProcessBuilder pb = new ProcessBuilder("bash", EXAMPLE.resolve("run-locally.sh").toString(),
            dir.resolve("out").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ROLLOUT_LAB", Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
            + System.getProperty("java.class.path") + " " + Main.class.getName());
        // This tests the pipeline's files and exit codes, not the generator: a CI runner shared with other jobs may
        // hold it back enough to make a run invalid, which would fail the pipeline for the machine's sake.
        pb.environment().put("RUN_OPTIONS", "--set load.maxGeneratorLimited=5% --set load.maxSendLag=200ms");
        Process p = pb.start();
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }

        assertThat(ended).as("run-locally.sh ended within 10 minutes").isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("run-locally.sh: passed");
        assertThat(dir.resolve("out/slow/diff.md")).content().contains("changed");
        assertThat(new File(dir.resolve("out/same").toFile(), "run-4/report.html")).exists();
    }
}
