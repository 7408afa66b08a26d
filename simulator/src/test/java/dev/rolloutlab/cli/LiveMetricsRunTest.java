package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.prometheus.Scrape;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics:} in a scenario: /metrics during a run tells what result.json says at its end. */
class LiveMetricsRunTest {
    @TempDir
    Path dir;

    /**
     * A canary at 50 % whose candidate fails half its requests, rolled back at 2 s, at 200 req/s. The final totals
     * are served from the moment the result is assembled ({@code rolloutlab_run_finished 1}) until keepAfter ends.
     * Whatever the outcome (on a busy machine the run may be invalid, exit 3), /metrics must tell what result.json
     * says.
     */
    @Test
    void scrapesDuringTheRunNeverGoDownAndTheFinalOneEqualsResultJson() throws Exception {
        int port = freePort();
        Path scenario = dir.resolve("live.yaml");
        Files.writeString(scenario, """
            name: live
            service:
              replicas: 2
              stable: { version: v1 }
              candidate: { version: v2, behavior: { errorRate: 0.5 } }
            load: { rate: 200/s, duration: 4s, warmup: 0s }
            strategy: { type: canary, startAt: 0.5s, steps: [ {setWeight: 50}, {pause: 10s} ] }
            rollback: { at: 2s }
            metrics: { port: %d, keepAfter: 3s }
            """.formatted(port));
        String url = "http://127.0.0.1:" + port + "/metrics";
        CompletableFuture<Cli> ran = CompletableFuture.supplyAsync(() -> Cli.run("run", scenario.toString(),
            "--out", dir.resolve("out").toString()));

        List<Scrape> during = new ArrayList<>();
        Scrape finished = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && finished == null) {
            Thread.sleep(400);
            Scrape s;
            try {
                s = Scrape.of(url);
            } catch (IOException notYetListening) {
                continue;
            }
            if (s.value("rolloutlab_run_finished") == 1) {
                finished = s;
            } else if (s.value("rolloutlab_requests_total") > 0) {
                during.add(s);
            }
        }
        Cli cli = ran.get(60, TimeUnit.SECONDS);
        Scrape last = finished;

        assertThat(cli.exit()).as(cli.out() + cli.err()).isIn(Main.EXIT_OK, Main.EXIT_RUN_FAILED);
        assertThat(dir.resolve("out/result.json")).as(cli.out() + cli.err()).exists();
        assertThat(cli.out()).contains("metrics       " + url);
        assertThat(during).as("scrapes while the load ran").hasSizeGreaterThanOrEqualTo(2);
        assertThat(last).as("a scrape of the final totals").isNotNull();
        List<Scrape> all = new ArrayList<>(during);
        all.add(last);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i - 1).countersGoneDown(all.get(i))).as("scrape %d to %d", i - 1, i).isEmpty();
        }
        assertThat(during.get(0).value("rolloutlab_requests_total"))
            .isLessThan(last.value("rolloutlab_requests_total"));

        RunResult result = ResultJson.read(dir.resolve("out/result.json"));
        var m = result.metrics();
        assertThat(m.requestsByVersion()).containsKeys("v1", "v2");
        m.requestsByVersion().forEach((version, n) -> assertThat(last.value("rolloutlab_requests_total", "version",
            version)).as("requests of %s", version).isEqualTo(n.doubleValue()));
        assertThat(last.value("rolloutlab_requests_total")).isEqualTo((double) m.requests());
        assertThat(last.value("rolloutlab_failed_requests_total")).isEqualTo((double) m.failedRequests()).isPositive();
        FailuresByCause causes = m.failuresByCause();
        Map.of("refused", causes.refused(), "reset", causes.reset(), "timeout", causes.timeout(),
            "http5xx", causes.http5xx(), "http4xx", causes.http4xx(), "other", causes.other()).forEach((cause, n) ->
            assertThat(last.value("rolloutlab_failures_total", "cause", cause)).as(cause).isEqualTo((double) n));
        assertThat(last.value("rolloutlab_request_latency_seconds_bucket", "le", "+Inf"))
            .isEqualTo(last.value("rolloutlab_request_latency_seconds_count"))
            .isEqualTo((double) (m.requests() - m.failedRequests()));
        assertThat(last.value("rolloutlab_rollout_state", "rolloutlab_rollout_state", "rolling-back")
            + last.value("rolloutlab_rollout_state", "rolloutlab_rollout_state", "rolled-back")).isEqualTo(1.0);
        assertThat(last.value("rolloutlab_replicas", "version", "v1")).isEqualTo(2.0);

        assertThat(portIsFree(port)).as("the server is closed after the run").isTrue();
    }

    @Test
    void aPortInUseFailsTheRunInOneLineBeforeAnythingRuns() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path scenario = dir.resolve("taken.yaml");
            Files.writeString(scenario, """
                service: { replicas: 1 }
                load: { rate: 50/s, duration: 1s, warmup: 0s }
                metrics: { port: %d }
                """.formatted(taken.getLocalPort()));

            Cli ran = Cli.run("run", scenario.toString(), "--out", dir.resolve("taken").toString());

            assertThat(ran.exit()).isEqualTo(Main.EXIT_RUN_FAILED);
            assertThat(ran.err().lines()).singleElement().asString()
                .startsWith("rollout-lab: run failed: metrics: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                .doesNotContain("Exception");
            assertThat(ran.out()).doesNotContain("requests");
        }
    }

    @Test
    void portZeroListensOnAFreePortAndSaysWhichAtTheStart() throws Exception {
        Path scenario = dir.resolve("any.yaml");
        Files.writeString(scenario, """
            service: { replicas: 1 }
            load: { rate: 50/s, duration: 1s, warmup: 0s }
            metrics: { port: 0 }
            """);

        Cli ran = Cli.run("run", scenario.toString(), "--out", dir.resolve("any").toString());

        assertThat(ran.exit()).as(ran.err()).isZero();
        var url = Pattern.compile("metrics {7}http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(ran.out());
        assertThat(url.find()).as(ran.out()).isTrue();
        assertThat(ran.out().indexOf(url.group())).isLessThan(ran.out().indexOf("requests"));
        assertThat(portIsFree(Integer.parseInt(url.group(1)))).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
