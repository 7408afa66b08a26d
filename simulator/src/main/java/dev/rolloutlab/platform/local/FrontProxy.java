package dev.rolloutlab.platform.local;

import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.platform.Routing;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The local platform's Service, ingress and mesh in one: a real reverse proxy on loopback that picks a replica per
 * request by the current {@link Routing}. Closing its listener is a full outage exactly as a client sees one:
 * connections reset, then refused.
 *
 * <p>Errors are answered as a mesh would: 503 when the routing has no endpoint for the request or too many requests
 * already wait for the chosen replica, 502 when the chosen replica fails; every error answer keeps the client's
 * connection open, as a real proxy's does. A 502 or 503 the proxy makes for a chosen replica is served by no version:
 * it carries that replica's version as {@code X-Routed-Version} (and its {@code X-Pod}), as a mesh labels its own
 * responses with their destination, so the metrics can blame the version it was meant for apart from the versions
 * that served. The request path runs at the generator's full rate: the routing is
 * an immutable {@link Table} swapped whole on every change, and a request allocates nothing for its choice.
 *
 * <p>Network faults are played here, between the Service and the pods, as a mesh's fault injection or a network
 * chaos tool would: each active {@link Impairment} sees every request after its endpoint is chosen, so a fault is
 * scoped to the endpoints it hits and attributed to the version and pod the request was routed to.
 */
final class FrontProxy {
    private static final String ENDPOINT = "rollout-lab.endpoint";
    private static final CharSequence X_USER = HttpHeaders.createOptimized("X-User");
    private static final CharSequence X_CANARY = HttpHeaders.createOptimized("X-Canary");
    private static final CharSequence X_ROUTED_VERSION = HttpHeaders.createOptimized("X-Routed-Version");
    private static final CharSequence X_POD = HttpHeaders.createOptimized("X-Pod");
    private static final Buffer NO_ENDPOINT = Buffer.buffer("no ready endpoint\n");
    private static final Buffer UPSTREAM_FAILED = Buffer.buffer("upstream replica failed\n");
    private static final Buffer INJECTED_ERROR = Buffer.buffer("injected fault\n");
    private static final Buffer OVERLOADED = Buffer.buffer("upstream overloaded\n");

    /** A replica as the proxy routes to it; made once per container start, since each start has its own port. */
    record Endpoint(String pod, String version, int cell, Future<SocketAddress> origin, CharSequence versionHeader,
                    CharSequence podHeader) {
        static Endpoint of(String pod, String version, int cell, int port) {
            // A succeeded future is immutable: one per endpoint serves every request routed to it.
            return new Endpoint(pod, version, cell,
                Future.succeededFuture(SocketAddress.inetSocketAddress(port, DemoService.DEFAULT_HOST)),
                HttpHeaders.createOptimized(version), HttpHeaders.createOptimized(pod));
        }
    }

    /** The routing over one endpoint set; safe for the proxy's event loops to share. */
    @FunctionalInterface
    interface Table {
        /**
         * @param user   the {@code X-User} header, {@code null} when absent
         * @param canary the {@code X-Canary} header, {@code null} when absent
         * @return the endpoint to send to, {@code null} when the routing has none for this request
         */
        Endpoint choose(String user, String canary);
    }

    /**
     * Event loops of the proxy: half the cores, as for the replicas and the generator. One carries over 20,000
     * requests a second on 2 cores (see README, local platform); more loops than cores only add context switches.
     */
    static final int LANES = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /**
     * Client connections the platform's proxy keeps open at most; more are closed at once, as an ingress out of worker
     * connections does, so that a client opening connections without bound cannot exhaust this process's files.
     */
    static final int MAX_CLIENT_CONNECTIONS = 4096;
    /**
     * Requests that may wait for a connection to one replica, per lane; more are answered 503 at once, as Envoy's
     * {@code max_pending_requests} (1024) does. An unbounded queue turns an overload into a collapse: requests whose
     * clients gave up are still served first, so every later one times out too.
     */
    static final int MAX_WAITING_PER_ENDPOINT = 1024;

    private final Vertx vertx;
    private final int lanes;
    private final int connectionsPerEndpoint;
    private final int maxClientConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private volatile Table table = (user, canary) -> null;
    /** Between {@link #listen} and {@link #close}: once closed, a request on a connection not yet closed is reset. */
    private volatile boolean serving;
    /** Active faults, in the order they started; copied on write, since every request reads it. */
    private volatile Impairment[] impairments = new Impairment[0];
    /** The deployment of the lanes while listening. */
    private String listening;
    private int port;

    /**
     * The proxy runs on event loops of its own, apart from the replicas' and the generator's: a busy replica then
     * slows that replica only, not every request through the Service.
     *
     * @param lanes                  event loops of the proxy
     * @param connectionsPerEndpoint connections to each replica the proxy keeps at most, over all its lanes
     * @param maxClientConnections   client connections open at most; more are closed at once
     */
    FrontProxy(int lanes, int connectionsPerEndpoint, int maxClientConnections) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(lanes).setWorkerPoolSize(1)
            .setInternalBlockingPoolSize(1));
        this.lanes = lanes;
        this.maxClientConnections = maxClientConnections;
        this.connectionsPerEndpoint = Math.max(1, connectionsPerEndpoint / lanes);
    }

    /**
     * One event loop's share of the proxy: its own listener (Vert.x spreads the connections of one port over the
     * instances of a deployment), client and proxy, so a request never changes threads between client and replica.
     */
    private final class Lane extends VerticleBase {
        private final int onPort;
        private HttpClient client;
        private HttpServer server;

        Lane(int onPort) {
            this.onPort = onPort;
        }

        @Override
        public Future<?> start() {
            client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
                .with(new PoolOptions().setHttp1MaxSize(connectionsPerEndpoint)
                    .setMaxWaitQueueSize(MAX_WAITING_PER_ENDPOINT))
                .build();
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(OriginRequestProvider.selector(ctx -> ctx.get(ENDPOINT, Endpoint.class).origin()))
                .addInterceptor(new ProxyInterceptor() {
                    @Override
                    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
                        return route(ctx);
                    }

                });
            // HTTP/1.1 only, as kube-proxy's and most ingresses' pod side: without h2c detection a connection is known
            // (and counted against the cap) as soon as it is accepted, not after its first bytes.
            server = vertx.createHttpServer(new HttpServerOptions().setHost(DemoService.DEFAULT_HOST)
                .setPort(onPort).setTcpNoDelay(true).setReuseAddress(true).setHttp2ClearTextEnabled(false));
            return server.connectionHandler(FrontProxy.this::accepted).requestHandler(proxy).listen();
        }

        /**
         * At once, as a process that exits: an undeployment would otherwise give connections a grace period. The
         * listener and its connections first, so a request in flight is reset as an outage resets it, rather than
         * answered 502 because its replica connection closed first.
         */
        @Override
        public Future<?> stop() {
            return server.close().eventually(client::close);
        }
    }

    /** The proxy's own Vert.x, for what runs beside its requests (an injected delay's timers, its loops' lag). */
    Vertx vertx() {
        return vertx;
    }

    /** Client connections open now. */
    int openConnections() {
        return open.get();
    }

    /** Client connections accepted since the proxy was made. */
    long acceptedConnections() {
        return accepted.get();
    }

    private Future<ProxyResponse> route(ProxyContext ctx) {
        if (!serving) {
            // Closing thousands of connections takes the loops a while; none of them is served meanwhile.
            ctx.request().proxiedRequest().connection().close();
            return Future.failedFuture("the Service is closed");
        }
        MultiMap headers = ctx.request().headers();
        Endpoint chosen = table.choose(headers.get(X_USER), headers.get(X_CANARY));
        if (chosen == null) {
            return Future.succeededFuture(error(ctx, 503, NO_ENDPOINT));
        }
        ctx.set(ENDPOINT, chosen);
        Impairment[] active = impairments;
        return active.length == 0 ? send(ctx, chosen) : forward(ctx, chosen, active, 0);
    }

    private Future<ProxyResponse> forward(ProxyContext ctx, Endpoint chosen, Impairment[] active, int i) {
        return i == active.length ? send(ctx, chosen)
            : active[i].apply(ctx, chosen, () -> forward(ctx, chosen, active, i + 1));
    }

    /**
     * A client that gave up (closed its connection, e.g. on its own timeout) while its request waited here is not
     * served: under overload the replicas' time goes to requests someone still waits for.
     */
    private static boolean gone(ProxyContext ctx) {
        return ctx.request().proxiedRequest().response().closed();
    }

    private static Future<ProxyResponse> send(ProxyContext ctx, Endpoint chosen) {
        if (gone(ctx)) {
            return Future.failedFuture("the client closed its connection");
        }
        return ctx.sendRequest().recover(failure -> Future.succeededFuture(
            failure instanceof ConnectionPoolTooBusyException ? attributed(ctx, chosen, 503, OVERLOADED)
                : attributed(ctx, chosen, 502, UPSTREAM_FAILED)));
    }

    private static ProxyResponse attributed(ProxyContext ctx, Endpoint chosen, int status, Buffer body) {
        return error(ctx, status, body).putHeader(X_ROUTED_VERSION, chosen.versionHeader())
            .putHeader(X_POD, chosen.podHeader());
    }

    private static ProxyResponse error(ProxyContext ctx, int status, Buffer body) {
        return ctx.request().release().response().setStatusCode(status).setBody(Body.body(body));
    }

    /** A fault the proxy plays on requests; {@code next} sends the request on (through the later faults). */
    @FunctionalInterface
    interface Impairment {
        Future<ProxyResponse> apply(ProxyContext ctx, Endpoint chosen, Supplier<Future<ProxyResponse>> next);
    }

    /** Applies {@code impairment} to every request from now on; the returned action lifts it. */
    synchronized Runnable impair(Impairment impairment) {
        Impairment[] now = Arrays.copyOf(impairments, impairments.length + 1);
        now[now.length - 1] = impairment;
        impairments = now;
        return () -> {
            synchronized (this) {
                impairments = Arrays.stream(impairments).filter(i -> i != impairment).toArray(Impairment[]::new);
            }
        };
    }

    /** Sends a {@code share} of the requests to {@code hits} after {@code delay} ± up to {@code jitter}. */
    Impairment delay(Predicate<Endpoint> hits, double share, Duration delay, Duration jitter) {
        long millis = delay.toMillis();
        long spread = jitter.toMillis();
        return (ctx, chosen, next) -> {
            if (!affects(hits, share, chosen)) {
                return next.get();
            }
            long wait = millis + (spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(-spread, spread + 1));
            return wait <= 0 ? next.get() : vertx.timer(wait, TimeUnit.MILLISECONDS).compose(v -> next.get());
        };
    }

    /** Answers a {@code share} of the requests to {@code hits} with 503, blamed on the chosen replica. */
    static Impairment errors(Predicate<Endpoint> hits, double share) {
        return (ctx, chosen, next) -> affects(hits, share, chosen)
            ? Future.succeededFuture(attributed(ctx, chosen, 503, INJECTED_ERROR)) : next.get();
    }

    /**
     * Cuts {@code hits} off the proxy: their requests fail as a refused connection to the replica does, with the
     * proxy's 502.
     */
    static Impairment partition(Predicate<Endpoint> hits) {
        return (ctx, chosen, next) -> hits.test(chosen)
            ? Future.succeededFuture(attributed(ctx, chosen, 502, UPSTREAM_FAILED)) : next.get();
    }

    /** Drops a {@code share} of the requests to {@code hits}: the client's connection is closed unanswered. */
    static Impairment loss(Predicate<Endpoint> hits, double share) {
        return (ctx, chosen, next) -> {
            if (!affects(hits, share, chosen)) {
                return next.get();
            }
            ctx.request().proxiedRequest().connection().close();
            return Future.failedFuture("dropped by an injected loss fault");
        };
    }

    /**
     * Holds the requests to {@code hits} until {@code released}, as a frozen process leaves them hanging; clients
     * time out meanwhile. A held request then goes on, on the event loop it arrived on.
     */
    Impairment hold(Predicate<Endpoint> hits, Future<Void> released) {
        return (ctx, chosen, next) -> {
            if (!hits.test(chosen)) {
                return next.get();
            }
            Context context = vertx.getOrCreateContext();
            Promise<ProxyResponse> answer = Promise.promise();
            released.onComplete(v -> context.runOnContext(go -> next.get().onComplete(answer)));
            return answer.future();
        };
    }

    private static boolean affects(Predicate<Endpoint> hits, double share, Endpoint chosen) {
        return hits.test(chosen) && (share >= 1 || ThreadLocalRandom.current().nextDouble() < share);
    }

    /** Replaces the endpoints and the routing over them, as an update reaching kube-proxy or the mesh would. */
    void update(List<Endpoint> endpoints, Routing routing) {
        table = table(routing, endpoints);
    }

    /**
     * The routing as a table. Weighted: a user goes to the candidate when the hash of its id falls below the weight,
     * so it stays on one version while the weight holds and only ever moves to the candidate as the weight grows;
     * {@code X-Canary: always} forces the candidate; requests without a user are hashed by a counter instead, in the
     * same proportion. ByCell: a user's cell is its id mod cells, plus one. Within a group, round robin.
     */
    static Table table(Routing routing, List<Endpoint> endpoints) {
        if (routing instanceof Routing.Selector s) {
            RoundRobin selected = RoundRobin.of(endpoints, e -> e.version().equals(s.version()));
            return (user, canary) -> selected.next();
        }
        if (routing instanceof Routing.Weighted w) {
            RoundRobin stable = RoundRobin.of(endpoints, e -> e.version().equals(w.stable()));
            RoundRobin candidate = RoundRobin.of(endpoints, e -> e.version().equals(w.candidate()));
            double weight = w.candidateWeight();
            AtomicInteger anonymous = new AtomicInteger();
            return (user, canary) -> {
                int id = user == null ? anonymous.getAndIncrement() : userId(user);
                return "always".equalsIgnoreCase(canary) || unit(id) < weight ? candidate.next() : stable.next();
            };
        }
        if (routing instanceof Routing.ByCell b) {
            RoundRobin[] cells = new RoundRobin[b.cells()];
            for (int i = 0; i < cells.length; i++) {
                int cell = i + 1;
                cells[i] = RoundRobin.of(endpoints, e -> e.cell() == cell);
            }
            AtomicInteger anonymous = new AtomicInteger();
            return (user, canary) ->
                cells[Math.floorMod(user == null ? anonymous.getAndIncrement() : userId(user), cells.length)].next();
        }
        RoundRobin all = RoundRobin.of(endpoints, e -> true);
        return (user, canary) -> all.next();
    }

    private record RoundRobin(Endpoint[] endpoints, AtomicInteger counter) {
        static RoundRobin of(List<Endpoint> endpoints, Predicate<Endpoint> member) {
            return new RoundRobin(endpoints.stream().filter(member).toArray(Endpoint[]::new), new AtomicInteger());
        }

        Endpoint next() {
            return endpoints.length == 0 ? null
                : endpoints[Math.floorMod(counter.getAndIncrement(), endpoints.length)];
        }
    }

    /** The generator's ids are decimal ints, parsed without allocating; any other id is taken by its hash. */
    static int userId(String user) {
        int n = user.length();
        if (n == 0 || n > 9) {
            return user.hashCode();
        }
        int id = 0;
        for (int i = 0; i < n; i++) {
            char c = user.charAt(i);
            if (c < '0' || c > '9') {
                return user.hashCode();
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }

    /**
     * A user id mapped evenly onto [0, 1): MurmurHash3's finaliser, so consecutive ids (as the generator's are) land
     * far apart and any weight picks that share of any range of users.
     */
    static double unit(int id) {
        int h = id;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h >>> 8) * 0x1.0p-24;
    }

    /**
     * Listens on 127.0.0.1 with every lane; port 0 picks a free port the first time, later calls reuse the same one.
     * The port is picked here rather than by binding port 0, which every lane would take as its own random port.
     */
    synchronized Future<Integer> listen(int requestedPort) {
        int onPort = port != 0 ? port : requestedPort != 0 ? requestedPort : LocalReplica.freePort();
        return vertx.deployVerticle(() -> new Lane(onPort), new DeploymentOptions().setInstances(lanes))
            .map(id -> {
                synchronized (this) {
                    listening = id;
                    serving = true;
                    port = onPort;
                    return onPort;
                }
            });
    }

    private void accepted(HttpConnection connection) {
        accepted.incrementAndGet();
        connection.closeHandler(v -> open.decrementAndGet());
        if (open.incrementAndGet() > maxClientConnections) {
            connection.close();
        }
    }

    /** Closes the listener and every open connection: requests in flight are reset, new ones refused. */
    synchronized Future<Void> close() {
        serving = false;
        String id = listening;
        listening = null;
        return id == null ? Future.succeededFuture() : vertx.undeploy(id);
    }

    /**
     * Closes the listener, the connections to the replicas and the proxy's event loops, for good. Closing Vert.x
     * undeploys the lanes; it must not be chained after {@link #close}, whose completion runs on a loop it stops.
     */
    Future<Void> stop() {
        return vertx.close();
    }
}
