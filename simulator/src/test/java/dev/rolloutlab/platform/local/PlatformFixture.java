package dev.rolloutlab.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.VertxClock;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.Termination;
import dev.rolloutlab.scenario.VersionSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real-time platform on its own Vert.x, with short timings, and the blocking helpers its tests share. */
final class PlatformFixture implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(50);
    /** Longer than any pass of {@link #eventually}'s loop takes on a machine that is merely busy. */
    private static final Duration STALL = Duration.ofMillis(250);

    final Vertx vertx = Vertx.vertx();
    final VertxClock clock = new VertxClock(vertx, System.nanoTime());
    final EventLog events = new EventLog(clock);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    /** @param routedVersion the version the proxy routed to when it answered itself ({@code X-Routed-Version}) */
    record Reply(int status, String version, String pod, String routedVersion) {
        Reply(int status, String version, String pod) {
            this(status, version, pod, null);
        }
    }

    /** Stable v1 and candidate v2, probed every {@link #PERIOD} with one failure making a replica unready. */
    static Service service(int replicas, Behavior stable, Behavior candidate, Duration preStop, Duration lag) {
        return new Service(replicas, null, new VersionSpec("v1", stable), new VersionSpec("v2", candidate),
            new Readiness("/healthz", PERIOD, 1, PERIOD), new Termination(preStop, Duration.ofSeconds(2)), lag);
    }

    static Service service(int replicas) {
        return service(replicas, Behavior.DEFAULT, Behavior.DEFAULT, Duration.ZERO, Duration.ZERO);
    }

    LocalPlatform platform(Service service) {
        return new LocalPlatform(vertx, service, clock, events, 16);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Polls until {@code condition} holds; fails the test after {@code within}. */
    /**
     * Waits until {@code condition} holds, for up to {@code within} of time this side could use: a pass of the loop
     * (a status read and a 10 ms sleep) taking more than {@link #STALL} is a stall of this JVM or host (a collector
     * pause, a starved machine), and that time does not count, as the platform discounts its own loops' lag.
     */
    static void eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long previous = start;
        long stalled = 0;
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            stalled += Math.max(0, now - previous - STALL.toNanos());
            previous = now;
            assertThat(now - start - stalled).as("condition not met within %s (%d ms of stalls discounted)", within,
                stalled / 1_000_000).isLessThan(within.toNanos());
            Thread.sleep(10);
        }
    }

    /** One GET through the proxy; {@code user} and {@code canary} are sent as headers when not null. */
    Reply get(URI url, String user, String canary) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2));
        if (user != null) {
            request.header("X-User", user);
        }
        if (canary != null) {
            request.header("X-Canary", canary);
        }
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        return new Reply(response.statusCode(), response.headers().firstValue("X-Version").orElse(null),
            response.headers().firstValue("X-Pod").orElse(null),
            response.headers().firstValue("X-Routed-Version").orElse(null));
    }

    List<Event> events(String type) {
        return events.events().stream().filter(e -> e.type().equals(type)).toList();
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }
}
