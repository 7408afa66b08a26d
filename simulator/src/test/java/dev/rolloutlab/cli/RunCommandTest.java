package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;



    @Test
    void loadOnlyRunAgainstASeparatelyStartedDemoProcess() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process demo = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "demo", "--port", String.valueOf(port), "--version", "v7",
            "--latency", "5ms")).redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile()).start();
        try {
            awaitListening(port, demo, dir.resolve("demo.log"));
            Path scenario = dir.resolve("external.yaml");
            Files.writeString(scenario, """
                name: external
                load: { target: "http://127.0.0.1:%d/", rate: 200/s, duration: 2s }
                gates:
                  errorRate: { max: 0 }
                  latencyP50Ms: { min: 5 }
                """.formatted(port));
            Cli ran = Cli.run("run", scenario.toString(), "--out", dir.resolve("out").toString());
            assertThat(ran.exit()).as(ran.err()).isZero();
            RunResult r = ResultJson.read(dir.resolve("out/result.json"));
            assertThat(r.platform()).isEqualTo("external");
            assertThat(r.metrics().requests()).isEqualTo(400);
            assertThat(r.metrics().requestsByVersion()).containsEntry("v7", 400L);
            assertThat(r.metrics().latencyMs().p50()).isCloseTo(5.5, within(2.0));
            assertThat(r.gates()).hasSize(2).allMatch(g -> g.passed());
            assertThat(ran.out()).contains("external: completed").contains("wrote");
        } finally {
            demo.destroy();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedGateExitsOne() throws Exception {
        Path scenario = dir.resolve("gated.yaml");
        Files.writeString(scenario, """
            service: { replicas: 2, stable: { version: v1, behavior: { errorRate: 0.2 } } }
            load: { rate: 200/s, duration: 2s }
            gates:
              errorRate: { max: 0.01 }
            """);
        Cli ran = Cli.run("run", scenario.toString(), "--out", dir.resolve("gated").toString());
        assertThat(ran.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).contains("FAILED");
        RunResult r = ResultJson.read(dir.resolve("gated/result.json"));
        assertThat(r.gates()).singleElement().satisfies(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.actual()).isCloseTo(0.2, within(0.07));
        });
    }

    /**
     * Two connections at most, a 300 ms service, 100 requests/s: about 30 requests are in flight at once, so most
     * cannot go out on time. The measurement is the generator's limit, not the service: invalid, every gate fails
     * whatever its value, exit 3, and every report says so.
     */
    @Test
    void aRunTheGeneratorCouldNotMakeIsInvalidFailsItsGatesAndExitsThree() throws Exception {
        Path scenario = dir.resolve("capped.yaml");
        Files.writeString(scenario, """
            name: capped
            service: { replicas: 2, stable: { version: v1, behavior: { latency: 300ms } } }
            load: { rate: 100/s, duration: 2s, timeout: 1s, connections: 2, maxConnections: 2, warmup: 0s }
            gates:
              errorRate: { max: 0.5 }
            """);
        Cli ran = Cli.run("run", scenario.toString(), "--out", dir.resolve("capped").toString());
        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(ran.out()).contains("capped: invalid").contains("INVALID");
        RunResult r = ResultJson.read(dir.resolve("capped/result.json"));
        assertThat(r.outcome()).isEqualTo("invalid");
        assertThat(r.generator().invalidReason()).contains("could not make").contains("load.maxGeneratorLimited");
        assertThat(r.generator().droppedRequests()).isGreaterThan(100);
        assertThat(r.metrics().failedRequests()).isZero(); // what went out was answered within the timeout
        assertThat(r.gates()).singleElement().satisfies(g -> {
            assertThat(g.actual()).isZero();
            assertThat(g.passed()).isFalse();
            assertThat(g.reason()).startsWith("invalid measurement");
        });
        assertThat(Files.readString(dir.resolve("capped/junit.xml"))).contains("InvalidMeasurement")
            .contains("measurement valid");
        assertThat(Files.readString(dir.resolve("capped/summary.md"))).contains("Invalid measurement");
        assertThat(Files.readString(dir.resolve("capped/report.html"))).contains("id=\"invalid\"");
    }

    @Test
    void theProgressLineShowsGeneratorLimitedRequestsAsTheyHappen() {
        String line = Console.progressLine(new dev.rolloutlab.engine.Progress(3, 10, 1000, 0, 1.0,
            java.util.Map.of("v1", 1000L), 0.5, false, 12, 0.004));
        assertThat(line).contains("GENERATOR-LIMITED 12 requests (0.400%)");
        assertThat(Console.progressLine(new dev.rolloutlab.engine.Progress(3, 10, 1000, 0, 1.0,
            java.util.Map.of("v1", 1000L), 0.5, false, 0, 0))).doesNotContain("GENERATOR-LIMITED");
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoStackTrace() throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, """
            load: { rate: fast, duration: 2s }
            """);
        Cli ran = Cli.run("run", scenario.toString());
        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).contains("bad.yaml:1:").contains("load.rate").doesNotContain("Exception");
        assertThat(Cli.run("run", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Cli.run("run").exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Cli.run("run", scenario.toString(), "--bogus").exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void awaitListening(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (java.io.IOException notYet) {
                assertThat(p.isAlive()).as(() -> "demo process alive; it said: " + read(log)).isTrue();
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new AssertionError("demo did not listen on " + port);
    }
}
