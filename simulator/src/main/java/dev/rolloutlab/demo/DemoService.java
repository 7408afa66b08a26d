package dev.rolloutlab.demo;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica of the demo service: a real HTTP server whose errors, latency, startup time and crash are dialled in
 * by a {@link Behavior}, so that what a strategy does to users can be measured against known faults. The local
 * platform runs many of these behind its proxy; {@code rollout-lab demo} runs one as a process.
 *
 * <p>Every response carries {@code X-Version} and {@code X-Pod}, because the metrics attribute each request to the
 * version that served it. {@code /healthz} answers 200 while the replica is ready and 503 once it is shutting down;
 * every other path, whatever the method, answers 200, or 500 with probability {@code errorRate}, after {@code latency}
 * plus the path's own delay ({@link Behavior#pathDelays}). A request's {@code X-Request-Name} is echoed.
 *
 * <p>The request path is benchmarked at tens of thousands of requests per second, so it allocates little: headers
 * are built once, bodies are small copies of buffers built once, randomness is thread-local and nothing is logged
 * per request. Lifecycle methods may be called from any thread; a replica starts once and stops once, like the
 * process it stands for.
 */
public final class DemoService {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** What a crash reports to {@link #onExit}: non-zero, as a process that died of its own fault. */
    public static final int CRASH_EXIT_CODE = 1;

    /** The CFS period the kernel throttles a container's CPU quota over (its default). */
    public static final Duration CPU_PERIOD = Duration.ofMillis(100);

    private static final CharSequence X_VERSION = HttpHeaders.createOptimized("X-Version");
    private static final CharSequence X_POD = HttpHeaders.createOptimized("X-Pod");
    /** The kind of request a generator's mix sent (its name), echoed so a test can tell the kinds' answers apart. */
    public static final CharSequence X_REQUEST_NAME = HttpHeaders.createOptimized("X-Request-Name");
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");
    private static final String HEALTHZ = "/healthz";
    // Each response gets its own copy: a buffer shared by concurrent writes was seen to go out empty.
    private static final Buffer HEALTHY = Buffer.buffer("ok\n");
    private static final Buffer NOT_READY = Buffer.buffer("not ready\n");
    private static final Buffer INJECTED_ERROR = Buffer.buffer("injected error\n");

    private final Vertx vertx;
    private final String host;
    private final int requestedPort;
    private final CharSequence versionValue;
    private final CharSequence podValue;
    private final Buffer body;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Behavior behavior;
    /** Share of each CPU period a stressor takes from this replica (cpu-stress), 0 for none. */
    private volatile double stressed;
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean ready;
    private volatile Handler<Integer> exitHandler = code -> { };

    // Lifecycle state, guarded by this.
    private Promise<DemoService> starting;
    private HttpServer server;
    private int port = -1;
    private long startTimer = -1;
    private long crashTimer = -1;
    private Future<Void> stopping;

    /** A replica on {@link #DEFAULT_HOST}; {@code port} 0 picks an ephemeral port. */
    public DemoService(Vertx vertx, int port, String version, String pod, Behavior behavior) {
        this(vertx, DEFAULT_HOST, port, version, pod, behavior);
    }

    public DemoService(Vertx vertx, String host, int port, String version, String pod, Behavior behavior) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.versionValue = HttpHeaders.createOptimized(Objects.requireNonNull(version, "version"));
        this.podValue = HttpHeaders.createOptimized(Objects.requireNonNull(pod, "pod"));
        this.body = Buffer.buffer(version + " " + pod + "\n");
        this.behavior = Objects.requireNonNull(behavior, "behavior");
    }

    /**
     * Listens after {@code startupDelay} (until then connections are refused, as with a container still booting) and
     * arms the crash, which counts {@code crashAfter} from this call, i.e. from process start.
     *
     * @return completes once listening and ready; fails if the port cannot be bound or the replica is stopped or
     *         crashes first
     */
    public synchronized Future<DemoService> start() {
        if (starting != null) {
            throw new IllegalStateException("a replica starts once; create a new one to restart");
        }
        starting = Promise.promise();
        Behavior b = behavior;
        if (b.crashAfter() != null) {
            crashTimer = vertx.setTimer(millis(b.crashAfter()), id -> crash());
        }
        if (b.startupDelay().isZero()) {
            listen();
        } else {
            startTimer = vertx.setTimer(millis(b.startupDelay()), id -> listen());
        }
        return starting.future();
    }

    /** The bound port once listening (it stays known after a stop), -1 before. */
    public synchronized int port() {
        return port;
    }

    /** Whether {@code /healthz} answers 200: from listening until shutdown, stop or crash. */
    public boolean ready() {
        return ready;
    }

    /** Requests received and not yet answered (health checks excluded). */
    public int inFlight() {
        return inFlight.get();
    }

    public Behavior behavior() {
        return behavior;
    }

    /**
     * Changes the knobs at runtime, as a hot-patch or a fault does. {@code errorRate} and {@code latency} apply from
     * the next request; {@code startupDelay} and {@code crashAfter} belong to the process lifecycle and are read only
     * by {@link #start()}.
     */
    public void behavior(Behavior behavior) {
        this.behavior = Objects.requireNonNull(behavior, "behavior");
    }

    /**
     * A stressor in the replica's container takes {@code share} of every {@link #CPU_PERIOD} (0 ends it), as CFS
     * throttling does to a pod whose CPU limit a stress process uses up: a request arriving in the stressor's part of
     * a period waits for the rest of it. Only this replica slows; the machine's CPU is not burnt, so the proxy, the
     * generator and other replicas running on it are not slowed.
     */
    public void stress(double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("share must be within [0, 1), got " + share);
        }
        this.stressed = share;
    }

    /** Connections this replica has accepted so far. */
    public long connectionsAccepted() {
        return connections.get();
    }

    /** Called with {@link #CRASH_EXIT_CODE} after a crash has closed the server; not called on stop or shutdown. */
    public void onExit(Handler<Integer> handler) {
        this.exitHandler = Objects.requireNonNull(handler, "handler");
    }

    /** Stops at once, like SIGKILL: the listener and every connection close, in-flight requests are lost. */
    public Future<Void> stop() {
        return shutdown(Duration.ZERO);
    }

    /**
     * Stops like SIGTERM handled well: turns unready, stops accepting connections, lets in-flight requests finish
     * for up to {@code grace}, then closes what is left. The listener closes asynchronously, so a connection racing
     * this call may be reset rather than refused. Later calls return the first call's future.
     */
    public synchronized Future<Void> shutdown(Duration grace) {
        if (stopping != null) {
            return stopping;
        }
        ready = false;
        cancel(startTimer);
        cancel(crashTimer);
        startTimer = crashTimer = -1;
        if (starting != null) {
            starting.tryFail(new IllegalStateException("replica stopped before it was ready"));
        }
        stopping = server == null ? Future.succeededFuture() : server.shutdown(grace);
        return stopping;
    }

    private synchronized void listen() {
        startTimer = -1;
        if (stopping != null) {
            return;
        }
        server = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
            .requestHandler(this::handle);
        server.listen(requestedPort, host).onComplete(bound -> {
            synchronized (this) {
                if (bound.failed()) {
                    cancel(crashTimer);
                    crashTimer = -1;
                    starting.tryFail(bound.cause());
                } else if (stopping == null) {
                    port = bound.result().actualPort();
                    ready = true;
                    starting.complete(this);
                }
            }
        });
    }

    private void crash() {
        Future<Void> closed;
        synchronized (this) {
            crashTimer = -1;
            if (stopping != null) {
                return;
            }
            closed = stop();
        }
        closed.onComplete(ignored -> exitHandler.handle(CRASH_EXIT_CODE));
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response()
            .putHeader(X_VERSION, versionValue)
            .putHeader(X_POD, podValue)
            .putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN);
        if (HEALTHZ.equals(request.path())) {
            if (ready) {
                response.end(HEALTHY.copy());
            } else {
                response.setStatusCode(503).end(NOT_READY.copy());
            }
            return;
        }
        String name = request.getHeader(X_REQUEST_NAME);
        if (name != null) {
            response.putHeader(X_REQUEST_NAME, name);
        }
        Behavior b = behavior;
        boolean fail = b.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < b.errorRate();
        inFlight.incrementAndGet();
        long wait = stressWaitNanos() + b.latencyOf(request.path()).toNanos();
        if (wait == 0) {
            respond(response, fail);
        } else {
            vertx.setTimer(millis(Duration.ofNanos(wait)), id -> respond(response, fail));
        }
    }

    /** Until the stressor's part of the current CPU period ends; 0 when not stressed or past it. */
    private long stressWaitNanos() {
        double share = stressed;
        if (share == 0) {
            return 0;
        }
        long period = CPU_PERIOD.toNanos();
        long phase = System.nanoTime() % period;
        return Math.max(0, (long) (share * period) - phase);
    }

    private void respond(HttpServerResponse response, boolean fail) {
        if (fail) {
            response.setStatusCode(500).end(INJECTED_ERROR.copy());
        } else {
            response.end(body.copy());
        }
        inFlight.decrementAndGet();
    }

    private void cancel(long timer) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }

    /** Vert.x timers take whole milliseconds (at least 1); round up so a delay is never shorter than asked. */
    private static long millis(Duration d) {
        return Math.max(1, (d.toNanos() + 999_999) / 1_000_000);
    }
}
