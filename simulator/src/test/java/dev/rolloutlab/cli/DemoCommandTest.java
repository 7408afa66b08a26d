package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class DemoCommandTest {
    /** What one {@link Main#execute} printed; picocli binds System.out/err when the command line is built. */
    record Run(int exitCode, String out, String err) {
    }

    @Test
    void badDurationIsBadInput() {
        Run run = run("demo", "--latency", "bogus");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--latency", "bad duration \"bogus\"").doesNotContain("Exception");
    }

    @Test
    void errorRateOutsideZeroToOneIsBadInput() {
        assertThat(run("demo", "--error-rate", "1.5").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    }

    @Test
    void helpListsTheKnobs() {
        Run run = run("demo", "--help");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_OK);
        assertThat(run.out()).contains("--version", "--error-rate", "--latency", "--startup-delay", "--crash-after");
        assertThat(run.err()).as("picocli warnings").isEmpty();
    }

    @Test
    void servesThenCrashesWithExitCode1() {
        Run run = run("demo", "--port", "0", "--version", "v2", "--pod", "p-1", "--crash-after", "300ms");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).matches("demo v2 \\(pod p-1\\) listening on http://127\\.0\\.0\\.1:\\d+/\\R");
        assertThat(run.err()).contains("demo v2 (pod p-1) crashed after 300ms");
    }

    @Test
    void portInUseIsOneLineAndExit3() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Run run = run("demo", "--port", String.valueOf(port));

            assertThat(run.exitCode()).isEqualTo(Main.EXIT_RUN_FAILED);
            assertThat(run.err()).isEqualTo("rollout-lab demo: port " + port + " is in use on 127.0.0.1" + System.lineSeparator());
        }
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            System.out.flush();
            System.err.flush();
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
