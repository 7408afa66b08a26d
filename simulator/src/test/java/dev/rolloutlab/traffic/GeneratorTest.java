package dev.rolloutlab.traffic;

import dev.rolloutlab.measure.StatusSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.TimelinePoint;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import io.vertx.core.http.HttpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    private record Driven(Metrics metrics, List<TimelinePoint> timeline, GeneratorStats stats, Recorder recorder) {
        long limited(LimitCause cause) {
            return recorder.generatorLimitedTotals().get(cause);
        }
    }

    private Driven drive(URI target, double rate, Duration duration, Duration timeout) throws Exception {
        return drive(config(target, 64, 10_000, CLIENTS, timeout), rate, duration, System.nanoTime());
    }

    /** Drives {@code config}'s target; {@code origin} is time 0 of the run, for servers that act on the run's time. */
    private Driven drive(Generator.Config config, double rate, Duration duration, long origin) throws Exception {
        return drive(config, rate, duration, origin, false);
    }

    /** @param preconnect whether the generator opens its {@code connections} before the load, as a run does */
    private Driven drive(Generator.Config config, double rate, Duration duration, long origin, boolean preconnect)
        throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, duration);
        Duration timeout = config.timeout();
        Recorder recorder = new Recorder(10_000_000L, 5, 100, (int) (rate * 5) + 1024,
            timeout.toNanos() + 1_000_000_000L);
        Generator g = new Generator(load, config, plan, recorder);
        if (preconnect) {
            g.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        GeneratorStats stats = g.start(origin).toCompletionStage().toCompletableFuture()
            .get(duration.toSeconds() + 20, TimeUnit.SECONDS);
        recorder.finish(duration.toNanos());
        MetricsCalculator calc = new MetricsCalculator(recorder, RunFacts.loadOnly(duration.toNanos(), 0.01));
        return new Driven(calc.metrics(), calc.timeline(), stats, recorder);
    }

    /** Connections closed after 1000 requests or 30 s, as clients behind an ingress (a scenario's default). */
    private static final Generator.Reuse CLIENTS = new Generator.Reuse(1000, Duration.ofSeconds(30));

    /**
     * A generator whose lag bound is 100 ms, unless a test is about lag: a loaded test machine can hold a thread back
     * for tens of milliseconds, which would make requests generator-limited (correctly) and the test's count flaky.
     */
    private static Generator.Config config(URI target, int connections, int maxConnections, Generator.Reuse reuse,
                                           Duration timeout) {
        return new Generator.Config(target, connections, maxConnections, reuse, timeout, Duration.ofMillis(100), 100,
            "X-Version", StatusSet.DEFAULT, 1, 1, List.of());
    }

    /**
     * A server that never answers the {@code count} requests it receives after the first {@code first}: a hang longer
     * than any timeout, counted in requests so that the server's own lag on a loaded machine cannot move it.
     */
    private URI hangingRequests(int first, int count) throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = service.createHttpServer().requestHandler(req -> {
            int n = received.getAndIncrement();
            if (n < first || n >= first + count) {
                req.response().putHeader("X-Version", "v1").end("ok");
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    /**
     * A server that holds every request arriving in [{@code from}, {@code to}) seconds after {@code origin} and never
     * answers it: a hang longer than any timeout. Other requests are answered at once.
     */
    private URI hangingBetween(long origin, double from, double to) throws Exception {
        HttpServer server = service.createHttpServer().requestHandler(req -> {
            double t = (System.nanoTime() - origin) / 1e9;
            if (t < from || t >= to) {
                req.response().putHeader("X-Version", "v1").end("ok");
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
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
        assertThat(run.stats().droppedRequests()).isZero(); // every request went out within the 100 ms lag bound
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
        assertThat(run.metrics().failuresByCause().timeout()).as("limited %s",
            run.recorder().generatorLimitedTotals()).isEqualTo(200);
        assertThat(run.metrics().latencyMs().p50()).isNull();
        assertThat(run.stats().droppedRequests()).isZero();
    }

    /**
     * Every request of a hang goes out and times out at the rate it arrives, however few connections are kept idle:
     * the generator opens one per request in flight, as a population of clients would. At 500 requests/s the
     * resolution is one inter-arrival time, 2 ms; the tolerance is two.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 4096})
    void aHangLongerThanTheTimeoutFailsEveryRequestOfItWhateverTheIdleConnections(int connections) throws Exception {
        URI target = hangingRequests(500, 500);
        Driven run = drive(config(target, connections, 10_000, CLIENTS, Duration.ofMillis(400)), 500,
            Duration.ofSeconds(3), System.nanoTime());
        assertThat(run.metrics().failuresByCause().timeout()).as("limited %s", run.recorder().generatorLimitedTotals())
            .isEqualTo(500L);
        assertThat(run.metrics().failedRequests()).isEqualTo(run.metrics().failuresByCause().timeout());
        assertThat(run.metrics().downtimeSeconds()).as("limited %s", run.recorder().generatorLimitedTotals())
            .isCloseTo(1.0, within(0.004));
        assertThat(run.stats().droppedRequests()).isZero();
        assertThat(run.stats().peakConnections()).isGreaterThanOrEqualTo(200); // 400 ms of requests at 500/s, hung
    }

    /** At the connection cap, requests of a hang cannot go out: the generator's failure, and an unmeasured outage. */
    @Test
    void aHangBeyondTheConnectionCapIsGeneratorLimitedAndItsOutageUnmeasurable() throws Exception {
        long origin = System.nanoTime() + 500_000_000L;
        URI target = hangingBetween(origin, 1.0, 2.0);
        Driven run = drive(config(target, 64, 64, CLIENTS, Duration.ofMillis(400)), 500,
            Duration.ofSeconds(3), origin);
        // Each of the 64 connections carries one hung request per 400 ms timeout, over the 1 s hang and the last
        // timeout: at most 64 x 4. Most other requests of the hang waited for a connection longer than the lag bound
        // (a few got one within it after the hang and were answered).
        long timeouts = run.metrics().failuresByCause().timeout();
        assertThat(timeouts).isBetween(64L, 64L * 4);
        assertThat(run.metrics().failedRequests()).isEqualTo(timeouts);
        assertThat(run.limited(LimitCause.NO_CONNECTION)).isGreaterThan(500 - 64 * 4);
        assertThat(run.metrics().downtimeSeconds()).isZero();
        assertThat(run.recorder().unmeasurableOutages()).isEqualTo(1);
        assertThat(run.stats().saturated()).isTrue();
    }

    /**
     * The generator's own event loop blocked for longer than the timeout against a healthy service: no request of
     * the service failed. Requests whose deadline passed unsent, and those sent or answered while the loop was late,
     * are the generator's.
     */
    @Test
    void aBlockedGeneratorIsGeneratorLimitedNeverTheServicesFailure() throws Exception {
        URI target = demo(new Behavior(0, Duration.ZERO, Duration.ZERO, null));
        long origin = System.nanoTime() + 200_000_000L;
        long blockAt = origin + 1_000_000_000L;
        load.setTimer(Math.max(1, (blockAt - System.nanoTime()) / 1_000_000), id -> {
            long until = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the generator's only event loop, busy for 1 s
            }
        });
        Driven run = drive(config(target, 64, 10_000, CLIENTS, Duration.ofMillis(500)), 1000,
            Duration.ofSeconds(3), origin);
        assertThat(run.metrics().failedRequests()).as("%s", run.metrics().failuresByCause()).isZero();
        assertThat(run.metrics().downtimeSeconds()).isZero();
        // Intended in the first 500 ms of the block (the timeout): expired before they could be sent, less up to a
        // 10 ms tick; more by the rate times however late the loop resumes after the spin, on a busy machine up to
        // 60 ms. Of the next 500 ms, all but the last 100 (the lag bound) went out too late; while the loop catches
        // up, a few more.
        assertThat(run.limited(LimitCause.EXPIRED_UNSENT)).isBetween(490L, 560L);
        assertThat(run.limited(LimitCause.LOOP_LATE)).isBetween(380L, 600L);
        assertThat(run.metrics().requests() + run.stats().droppedRequests()).isEqualTo(3000);
        assertThat(run.stats().saturated()).isTrue();
    }

    /** Per connection the server accepted: how many requests it carried and over how long. */
    private record Usage(AtomicInteger requests, long firstNanos, AtomicLong lastNanos) {
    }

    /** A server that answers at once and keeps the {@link Usage} of every connection. */
    private URI countingServer(List<Usage> connections) throws Exception {
        HttpServer server = service.createHttpServer().connectionHandler(c -> {
            Usage u = new Usage(new AtomicInteger(), System.nanoTime(), new AtomicLong());
            connections.add(u);
            c.closeHandler(v -> { });
            c.exceptionHandler(e -> { });
            currentUsage.put(c, u);
        }).requestHandler(req -> {
            Usage u = currentUsage.get(req.connection());
            u.requests().incrementAndGet();
            u.lastNanos().set(System.nanoTime());
            req.response().putHeader("X-Version", "v1").end("ok");
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    private final Map<HttpConnection, Usage> currentUsage = new ConcurrentHashMap<>();

    /** No connection carries more than maxRequests requests: 300 requests need at least 30 connections. */
    @Test
    void aConnectionIsClosedAfterItsMaxRequests() throws Exception {
        List<Usage> connections = new CopyOnWriteArrayList<>();
        URI target = countingServer(connections);
        Driven run = drive(config(target, 4, 10_000, new Generator.Reuse(10, Duration.ofMinutes(1)),
            Duration.ofSeconds(1)), 100, Duration.ofSeconds(3), System.nanoTime());
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(connections).allSatisfy(u -> assertThat(u.requests().get()).isLessThanOrEqualTo(10));
        assertThat(connections.stream().mapToInt(u -> u.requests().get()).sum()).isEqualTo(300);
        assertThat(run.stats().connectionsOpened()).isEqualTo(connections.size()).isGreaterThanOrEqualTo(30);
    }

    /**
     * No connection is used past maxAge: at the server, no connection's requests span more than 250 ms (plus the
     * 1 ms tick and a scheduling allowance), and 2 s of load need at least 8 connections.
     */
    @Test
    void aConnectionIsNotReusedPastItsMaxAge() throws Exception {
        List<Usage> connections = new CopyOnWriteArrayList<>();
        URI target = countingServer(connections);
        Driven run = drive(config(target, 4, 10_000, new Generator.Reuse(1_000_000, Duration.ofMillis(250)),
            Duration.ofSeconds(1)), 100, Duration.ofSeconds(2), System.nanoTime());
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(connections).allSatisfy(u -> assertThat(u.lastNanos().get() - u.firstNanos())
            .isLessThan(Duration.ofMillis(250 + 1 + 20).toNanos()));
        assertThat(connections.size()).isGreaterThanOrEqualTo(8);
    }

    /**
     * Each of the pre-opened connections is a client carrying its share: requests go round them, so a balancer that
     * pins connections (kube-proxy) sees the whole population, not one busy connection. 400 requests over 8 clients
     * is 50 each (the cap of 8 keeps a loaded machine's late responses from opening extra connections); one that
     * waited for a connection at the cap goes to the first to come free, hence the margin.
     */
    @Test
    void requestsGoRoundEveryClientsConnection() throws Exception {
        List<Usage> connections = new CopyOnWriteArrayList<>();
        URI target = countingServer(connections);
        Driven run = drive(config(target, 8, 8, CLIENTS, Duration.ofSeconds(1)), 200, Duration.ofSeconds(2),
            System.nanoTime(), true);
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(connections.subList(0, 8)).allSatisfy(u -> assertThat(u.requests().get()).isBetween(25, 75));
    }

    /**
     * Clients reconnect one by one as their connections age, not all at once: the first connections start with ages
     * spread evenly over maxAge (1 s), so with 10 clients one retires about every 100 ms and is replaced at once
     * (the cap of 10 keeps a loaded machine's late responses from opening extra connections, so every connection
     * after the first 10 is a reconnect). 3 s of load make about 30 reconnects; without the spread all 10 would
     * retire in the same 100 ms window each second, with it no window holds half of them even when a busy machine
     * holds the generator back a few hundred milliseconds.
     */
    @Test
    void clientsReconnectOneByOneAsTheirConnectionsAge() throws Exception {
        List<Usage> connections = new CopyOnWriteArrayList<>();
        URI target = countingServer(connections);
        long origin = System.nanoTime();
        Driven run = drive(config(target, 10, 10, new Generator.Reuse(1_000_000, Duration.ofSeconds(1)),
            Duration.ofSeconds(1)), 200, Duration.ofSeconds(3), origin, true);
        assertThat(run.metrics().failedRequests()).isZero();
        List<Long> reconnects = connections.stream().skip(10).map(u -> (u.firstNanos() - origin) / 100_000_000L)
            .toList();
        assertThat(reconnects).hasSizeBetween(24, 36);
        assertThat(reconnects.stream().collect(java.util.stream.Collectors.groupingBy(w -> w,
            java.util.stream.Collectors.counting())).values()).allSatisfy(n -> assertThat(n).isLessThan(5));
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
