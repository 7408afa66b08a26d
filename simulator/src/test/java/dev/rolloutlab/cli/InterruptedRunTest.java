package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM mid-run, while a fault holds a replica process frozen (SIGSTOP): the load stops, every replica process
 * goes, result.json says aborted, exit 130.
 */
class InterruptedRunTest {
    @TempDir
    Path dir;

    @Test
    void aSignalMidRunLeavesNoReplicaProcessAndKeepsWhatWasMeasured() throws Exception {
        Path scenario = dir.resolve("own-service.yaml");
        Files.writeString(scenario, """
            name: own-service
            service:
              replicas: 2
              command: "%s"
              readiness: { period: 200ms }
            load: { rate: 200/s, duration: 60s, warmup: 0s }
            faults:
              - { at: 1s, type: pause, target: all, count: 1, duration: 50s }
            """.formatted(ToolProcess.demoCommand()));
        Process run = ToolProcess.start(dir.resolve("run.log"), null, "run", scenario.toString(), "--out",
            dir.resolve("out").toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // The moment to interrupt: the pause fault holds a replica's server stopped (state T).
            while (run.descendants().noneMatch(InterruptedRunTest::stopped)) {
                assertThat(System.nanoTime()).as("a replica frozen by the fault").isLessThan(deadline);
                assertThat(run.isAlive()).as(() -> ToolProcess.read(dir.resolve("run.log"))).isTrue();
                TimeUnit.MILLISECONDS.sleep(100);
            }
            List<ProcessHandle> replicas = run.descendants().toList();
            run.destroy();
            assertThat(run.waitFor(40, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as(() -> ToolProcess.read(dir.resolve("run.log"))).isEqualTo(Main.EXIT_INTERRUPTED);
            for (ProcessHandle replica : replicas) {
                replica.onExit().get(10, TimeUnit.SECONDS);
                assertThat(replica.isAlive()).as("replica " + replica.pid()).isFalse();
            }
            RunResult r = ResultJson.read(dir.resolve("out/result.json"));
            assertThat(r.outcome()).isEqualTo("aborted");
            assertThat(r.events()).extracting(e -> e.type()).contains("fault-start");
            assertThat(r.metrics().requests()).isPositive();
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    /** SIGTERM while the replicas are still starting: exit 130 and a result.json saying aborted, with no request. */
    @Test
    void aSignalWhileThePlatformStartsKeepsAnAbortedResult() throws Exception {
        Path scenario = Files.writeString(dir.resolve("slow.yaml"), """
            name: slow-start
            service: { replicas: 2, stable: { version: v1, behavior: { startupDelay: 60s } } }
            load: { rate: 100/s, duration: 10s, warmup: 0s }
            """);
        Process run = ToolProcess.start(dir.resolve("run.log"), null, "run", scenario.toString(), "--out",
            dir.resolve("out").toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("run.log")).contains("rollout-lab:")) {
                assertThat(System.nanoTime()).as("the run started").isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(50);
            }
            run.destroy();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as(() -> ToolProcess.read(dir.resolve("run.log"))).isEqualTo(Main.EXIT_INTERRUPTED);
            RunResult r = ResultJson.read(dir.resolve("out/result.json"));
            assertThat(r.outcome()).isEqualTo("aborted");
            assertThat(r.metrics().requests()).isZero();
        } finally {
            run.destroyForcibly();
        }
    }

    /**
     * SIGKILL of the tool, which no handler sees: the replicas' watchdog ends their process groups within a second
     * (it polls every 500 ms), and {@code cleanup --local} then finds nothing left.
     */
    @Test
    void aKilledRunLeavesNoReplicaProcess() throws Exception {
        Path scenario = dir.resolve("own-service.yaml");
        Files.writeString(scenario, """
            name: own-service
            service:
              replicas: 2
              command: "%s"
              readiness: { period: 200ms }
            load: { rate: 50/s, duration: 60s, warmup: 0s }
            """.formatted(ToolProcess.demoCommand()));
        // Its own temp directory, inherited by the replicas, so that what other processes put in /tmp does not count.
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Process run = ToolProcess.start(dir.resolve("run.log"), tmp, "run", scenario.toString(), "--out",
            dir.resolve("out").toString());
        List<ProcessHandle> replicas = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (demoServers(run) < 2 || !Files.readString(dir.resolve("run.log")).contains("rollout-lab:")) {
                assertThat(System.nanoTime()).as("the run started").isLessThan(deadline);
                assertThat(run.isAlive()).as(() -> ToolProcess.read(dir.resolve("run.log"))).isTrue();
                TimeUnit.MILLISECONDS.sleep(100);
            }
            replicas = run.descendants().toList();

            run.destroyForcibly();
            assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

            for (ProcessHandle replica : replicas) {
                replica.onExit().get(5, TimeUnit.SECONDS);
            }
            try (var left = Files.list(tmp)) {
                assertThat(left.map(f -> f.getFileName().toString())).as("left in the temp directory")
                    .containsExactly("rollout-lab-processes");
            }
            // What the run recorded is left for cleanup --local, which finds the groups already ended.
            String tmpdir = System.getProperty("java.io.tmpdir");
            System.setProperty("java.io.tmpdir", tmp.toString());
            try {
                assertThat(Cli.run("cleanup", "--local").out())
                    .contains("0 process groups ended, 1 record of killed runs removed");
            } finally {
                System.setProperty("java.io.tmpdir", tmpdir);
            }
        } finally {
            replicas.forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    /** Whether a process is stopped by a signal (state T in {@code /proc/PID/stat}). */
    private static boolean stopped(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    /** The demo servers the run has started: JVMs, under the watchdog's shell and the command's own. */
    private static long demoServers(Process run) {
        return run.descendants().filter(p -> commandLine(p).startsWith(ToolProcess.JAVA)
            && commandLine(p).contains("Main demo")).count();
    }

    /** The whole command line: ProcessHandle.Info truncates long ones, and a test classpath is long. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (java.io.IOException gone) {
            return "";
        }
    }
}
