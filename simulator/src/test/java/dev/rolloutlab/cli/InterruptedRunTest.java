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
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        Path scenario = dir.resolve("own-service.yaml");
        Files.writeString(scenario, """
            name: own-service
            service:
              replicas: 2
              command: "'%s' -cp '%s' dev.rolloutlab.cli.Main demo --port ${PORT} --version ${VERSION}"
              readiness: { period: 200ms }
            load: { rate: 200/s, duration: 60s, warmup: 0s }
            faults:
              - { at: 1s, type: pause, target: all, count: 1, duration: 50s }
            """.formatted(java, classpath));
        Process run = new ProcessBuilder(List.of(java, "-cp", classpath, Main.class.getName(), "run",
            scenario.toString(), "--out", dir.resolve("out").toString()))
            .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (run.descendants().count() < 2 || !Files.readString(dir.resolve("run.log")).contains("rollout-lab:")) {
                assertThat(System.nanoTime()).as("replica processes started").isLessThan(deadline);
                assertThat(run.isAlive()).as(() -> read(dir.resolve("run.log"))).isTrue();
                TimeUnit.MILLISECONDS.sleep(100);
            }
            TimeUnit.SECONDS.sleep(4);
            List<ProcessHandle> replicas = run.descendants().toList();
            run.destroy();
            assertThat(run.waitFor(40, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as(() -> read(dir.resolve("run.log"))).isEqualTo(Main.EXIT_INTERRUPTED);
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

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
