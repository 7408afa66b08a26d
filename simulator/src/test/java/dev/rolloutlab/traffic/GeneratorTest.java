package dev.rolloutlab.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.reports.GeneratorStats;
import dev.rolloutlab.reports.Metrics;
import dev.rolloutlab.reports.TimelinePoint;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generator against real servers on loopback; every run is a few seconds at a bounded rate. */
class GeneratorTest {
    private Vertx service;
    private Vertx load;

    @BeforeEach
    void start() {
        service = Vertx.vertx();
        load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterEach
    void stop() throws Exception {
        service.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        load.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Driven(Metrics metrics, List<TimelinePoint> timeline, GeneratorStats stats) {
    }

    private Driven drive(URI target, double rate, Duration duration, Duration timeout) throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, duration);
        Recorder recorder = new Recorder(10_000_000L, 5, 100, (int) (rate * 5) + 1024,
            timeout.toNanos() + 1_000_000_000L);
        Generator g = new Generator(load, new Generator.Config(target, 64, timeout, 100, "X-Version",
            StatusSet.DEFAULT, 1, 1), plan, recorder);
        GeneratorStats stats = g.start(System.nanoTime()).toCompletionStage().toCompletableFuture()
            .get(duration.toSeconds() + 20, TimeUnit.SECONDS);
        recorder.finish(duration.toNanos());
        MetricsCalculator calc = new MetricsCalculator(recorder, RunFacts.loadOnly(duration.toNanos(), 0.01));
        return new Driven(calc.metrics(), calc.timeline(), stats);
    }

    private URI demo(Behavior behavior) throws Exception {
        DemoService d = new DemoService(service, 0, "v1", "v1-1", behavior);
        d.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + d.port() + "/");
    }

    @Test
    void latencyIsMeasuredFromTheIntendedSendTime() throws Exception {
        URI target = demo(new Behavior(0, Duration.ofMillis(20), Duration.ZERO, null));
        Driven run = drive(target, 500, Duration.ofSeconds(3), Duration.ofSeconds(2));
        assertThat(run.metrics().requests()).isEqualTo(1500);
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(run.metrics().latencyMs().p50()).isBetween(20.0, 25.0);
        assertThat(run.metrics().requestsByVersion()).containsEntry("v1", 1500L);
        assertThat(run.stats().saturated()).isFalse();
        assertThat(run.stats().achievedRate()).isCloseTo(500, within(1.0));
    }

    @Test
    void aStallShowsInTheTailNotAsOneSlowRequest() throws Exception {
        // The server holds every request that arrives in [1 s, 2 s) of its life until 2 s, then answers them all.
        long origin = System.nanoTime();
        List<HttpServerRequest> held = new ArrayList<>();
        HttpServer server = service.createHttpServer().requestHandler(req -> {
            double t = (System.nanoTime() - origin) / 1e9;
            if (t >= 1 && t < 2) {
                held.add(req);
            } else {
                req.response().putHeader("X-Version", "v1").end("ok");
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.setTimer(2000 - (System.nanoTime() - origin) / 1_000_000, id -> {
            held.forEach(r -> r.response().putHeader("X-Version", "v1").end("late"));
            held.clear();
        });
        Driven run = drive(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), 200,
            Duration.ofSeconds(4), Duration.ofSeconds(3));
        // Requests meant for [1, 2) waited up to the whole second, whether at the server or for a connection.
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(run.metrics().latencyMs().max()).isGreaterThan(900.0);
        assertThat(run.metrics().latencyMs().p99()).isGreaterThan(800.0);
        assertThat(run.timeline().get(1).p50Ms()).isGreaterThan(300.0);
        assertThat(run.timeline().get(3).p99Ms()).isLessThan(100.0);
    }

    @Test
    void scatteredErrorsAreAnErrorRateNotDowntime() throws Exception {
        URI target = demo(new Behavior(0.03, Duration.ZERO, Duration.ZERO, null));
        Driven run = drive(target, 1000, Duration.ofSeconds(4), Duration.ofSeconds(2));
        assertThat(run.metrics().downtimeSeconds()).isZero();
        assertThat(run.metrics().errorRate()).isCloseTo(0.03, within(0.01));
        assertThat(run.metrics().failuresByCause().http5xx()).isEqualTo(run.metrics().failedRequests());
    }

    @Test
    void aClosedPortIsRefusedAndCountsAsOneOutage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Driven run = drive(URI.create("http://127.0.0.1:" + port + "/"), 200, Duration.ofSeconds(2),
            Duration.ofSeconds(1));
        assertThat(run.metrics().failuresByCause().refused()).isEqualTo(400);
        assertThat(run.metrics().downtimeSeconds()).isCloseTo(2.0, within(1e-9));
        assertThat(run.metrics().requestsByVersion()).containsOnlyKeys("unknown");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAtTheTimeout() throws Exception {
        HttpServer server = service.createHttpServer().requestHandler(req -> { });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Driven run = drive(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), 100,
            Duration.ofSeconds(2), Duration.ofMillis(300));
        assertThat(run.metrics().failuresByCause().timeout()).isEqualTo(200);
        assertThat(run.metrics().latencyMs().p50()).isNull();
        assertThat(run.stats().droppedRequests()).isZero();
    }

    @Test
    void outcomesOfStatusesFollowTheSuccessSet() {
        StatusSet onlyOk = StatusSet.parse(List.of("200", "4xx"));
        assertThat(Failures.ofStatus(200, onlyOk)).isEqualTo(Outcome.SUCCESS);
        assertThat(Failures.ofStatus(404, onlyOk)).isEqualTo(Outcome.SUCCESS);
        assertThat(Failures.ofStatus(204, onlyOk)).isEqualTo(Outcome.OTHER);
        assertThat(Failures.ofStatus(503, onlyOk)).isEqualTo(Outcome.HTTP5XX);
        assertThat(Failures.ofStatus(302, StatusSet.DEFAULT)).isEqualTo(Outcome.SUCCESS);
        assertThat(Failures.ofStatus(404, StatusSet.DEFAULT)).isEqualTo(Outcome.HTTP4XX);
    }
}
