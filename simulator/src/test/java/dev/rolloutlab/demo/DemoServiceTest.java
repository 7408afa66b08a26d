package dev.rolloutlab.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.scenario.Durations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class DemoServiceTest {
    private static final String HOST = "127.0.0.1";

    private Vertx vertx;
    /** One connection per request, so a refused connection is never hidden by a pooled one. */
    private HttpClient fresh;

    record Reply(int status, String version, String pod, String body) {
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        fresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(2000));
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    @Test
    void everyResponseNamesVersionAndPod() {
        DemoService service = started(new DemoService(vertx, 0, "v7", "pod-a", Behavior.DEFAULT));

        assertThat(get(fresh, service.port(), "/")).isEqualTo(new Reply(200, "v7", "pod-a", "v7 pod-a\n"));
        assertThat(get(fresh, service.port(), "/any/path?x=1").status()).isEqualTo(200);
        assertThat(get(fresh, service.port(), "/healthz")).isEqualTo(new Reply(200, "v7", "pod-a", "ok\n"));
        assertThat(service.ready()).isTrue();
    }

    @Test
    void errorRateIsTheShareOf500s() {
        DemoService service = started(new DemoService(vertx, 0, "v1", "p", behavior(0.3, "0")));
        HttpClient pooled = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
        int n = 2000;
        List<Future<Reply>> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            replies.add(request(pooled, service.port(), "/"));
        }
        Future.all(replies).await();

        long errors = replies.stream().filter(r -> r.result().status() == 500).count();
        assertThat(replies).allSatisfy(r -> assertThat(r.result().version()).isEqualTo("v1"));
        assertThat(errors / (double) n).isBetween(0.25, 0.35);
    }

    @Test
    void latencyDelaysEveryResponse() {
        DemoService service = started(new DemoService(vertx, 0, "v1", "p", behavior(0, "50ms")));
        get(fresh, service.port(), "/"); // warm up the client so the first measurement is not class loading

        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertThat(get(fresh, service.port(), "/").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void startupDelayRefusesConnectionsUntilListening() throws IOException {
        int port = freePort();
        DemoService service = new DemoService(vertx, port, "v1", "p",
            new Behavior(0, Duration.ZERO, Duration.ofMillis(500), null));
        long t0 = System.nanoTime();
        Future<DemoService> start = service.start();

        assertThat(service.ready()).isFalse();
        assertRefused(request(fresh, port, "/"));
        start.await();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(service.ready()).isTrue();
        assertThat(get(fresh, port, "/healthz").status()).isEqualTo(200);
    }

    @Test
    void crashClosesTheServerThenReportsANonZeroExit() {
        DemoService service = new DemoService(vertx, 0, "v1", "p",
            new Behavior(0, Duration.ZERO, Duration.ZERO, Duration.ofMillis(300)));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        service.onExit(exit::complete);
        started(service);
        assertThat(get(fresh, service.port(), "/").status()).isEqualTo(200);

        assertThat(exit).succeedsWithin(Duration.ofSeconds(3)).isEqualTo(DemoService.CRASH_EXIT_CODE);
        assertThat(service.ready()).isFalse();
        assertRefused(request(fresh, service.port(), "/"));
    }

    @Test
    void gracefulShutdownFinishesInFlightRequestsAndRefusesNewConnections() throws Exception {
        DemoService service = started(new DemoService(vertx, 0, "v1", "p", behavior(0, "300ms")));
        Future<Reply> slow = request(fresh, service.port(), "/");
        awaitInFlight(service, 1);

        Future<Void> shutdown = service.shutdown(Duration.ofSeconds(2));
        assertThat(service.ready()).isFalse();
        awaitListenerClosed(service.port());
        assertThat(slow.isComplete()).as("the slow request is still in flight").isFalse();

        assertThat(slow.await(2, TimeUnit.SECONDS).status()).isEqualTo(200);
        shutdown.await(2, TimeUnit.SECONDS);
        assertThat(service.inFlight()).isZero();
    }

    @Test
    void behaviorChangesApplyToTheNextRequest() {
        DemoService service = started(new DemoService(vertx, 0, "v1", "p", Behavior.DEFAULT));
        assertThat(get(fresh, service.port(), "/").status()).isEqualTo(200);

        service.behavior(behavior(1, "0"));
        assertThat(get(fresh, service.port(), "/").status()).isEqualTo(500);
        assertThat(get(fresh, service.port(), "/healthz").status()).as("health is not an injected error").isEqualTo(200);

        service.behavior(Behavior.DEFAULT);
        assertThat(get(fresh, service.port(), "/").status()).isEqualTo(200);
    }

    @Test
    void stopBeforeListeningFailsTheStartAndNeverListens() throws IOException {
        int port = freePort();
        DemoService service = new DemoService(vertx, port, "v1", "p",
            new Behavior(0, Duration.ZERO, Duration.ofMillis(200), null));
        Future<DemoService> start = service.start();

        service.stop().await();
        assertThatThrownBy(start::await).isInstanceOf(IllegalStateException.class);
        vertx.timer(400).await();
        assertRefused(request(fresh, port, "/"));
    }

    private static DemoService started(DemoService service) {
        return service.start().await();
    }

    private static Behavior behavior(double errorRate, String latency) {
        return new Behavior(errorRate, Durations.parse(latency), Duration.ZERO, null);
    }

    private static Reply get(HttpClient client, int port, String path) {
        return request(client, port, path).await();
    }

    private static Future<Reply> request(HttpClient client, int port, String path) {
        return client.request(HttpMethod.GET, port, HOST, path)
            .compose(req -> req.send())
            .compose(res -> res.body().map(body -> reply(res, body.toString())));
    }

    private static Reply reply(HttpClientResponse res, String body) {
        return new Reply(res.statusCode(), res.getHeader("X-Version"), res.getHeader("X-Pod"), body);
    }

    private static void assertRefused(Future<Reply> reply) {
        assertThatThrownBy(() -> reply.await(3, TimeUnit.SECONDS)).isInstanceOf(ConnectException.class);
    }

    /** The listener closes asynchronously: a connection that races it is accepted and reset, so poll until refused. */
    private void awaitListenerClosed(int port) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (true) {
            Throwable failure = request(fresh, port, "/").map(r -> (Throwable) null).otherwise(t -> t).await();
            if (failure instanceof ConnectException) {
                return;
            }
            assertThat(System.nanoTime()).as("connections refused within 200 ms, last: %s", failure).isLessThan(deadline);
            vertx.timer(5).await();
        }
    }

    private void awaitInFlight(DemoService service, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (service.inFlight() != expected) {
            assertThat(System.nanoTime()).as("in-flight requests reach %d", expected).isLessThan(deadline);
            vertx.timer(5).await();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
