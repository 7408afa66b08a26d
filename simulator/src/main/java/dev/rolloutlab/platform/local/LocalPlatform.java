package dev.rolloutlab.platform.local;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.VersionSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The embedded platform, Kubernetes-like with no cluster: every replica is a real HTTP server on 127.0.0.1 (the
 * in-process demo service, or {@code service.command} as a process) with a pod's lifecycle ({@link LocalReplica}),
 * behind a real reverse proxy that plays the Service ({@link FrontProxy}). This class is the replica set controller:
 * it keeps each set at its desired count, replacing replicas that were killed, and hands routing changes on.
 *
 * <p>The proxy sees endpoint and routing changes only after {@code service.endpointLag} ({@link EndpointPropagation});
 * the kubelet's readiness probes are the {@link ReadinessProber}'s, and faults are carried out by the
 * {@link LocalFaultInjector} this platform exposes as {@link #faults()}.
 *
 * <p>The proxy runs on event loops of its own and the in-process replicas on {@link #REPLICA_LOOPS} of the platform's,
 * so neither the generator nor the proxy waits for a replica. When the platform's own loops run late
 * ({@link LoopLag}), the log says so ({@code platform-lagging}) and probes that timed out meanwhile are not held
 * against the replicas.
 *
 * <p>Calls arrive from the engine, clock timers, probe answers and process exits on any thread; all state, that of
 * the replicas, the endpoint propagation and the faults too, is guarded by this object's monitor. Once stopped, the
 * platform ignores further calls.
 */
public final class LocalPlatform implements Platform {
    /**
     * Event loops the in-process replicas share: half the cores. The demo's work per request is tiny, and on a small
     * machine every further busy loop costs more in wake-ups and context switches than it adds (measured on 2 cores:
     * replicas spread over 4 loops and a 2-loop proxy collapsed at 10,000 requests/s where 1 + 1 loops carried it).
     */
    static final int REPLICA_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final Service service;
    private final Clock clock;
    private final EventLog events;
    private final int cells;
    private final CrashLoopBackoff backoff;
    private final FrontProxy front;
    private final LoopLag lag;
    private final EndpointPropagation endpoints;
    private final LocalFaultInjector faults;
    private final ReadinessProber prober;
    /** The event loops in-process replicas run on, in turn. */
    private final List<Context> replicaLoops = new ArrayList<>();
    private final Map<ReplicaSet, Controlled> sets = new LinkedHashMap<>();
    private int pods;
    private int launches;
    private Promise<URI> started;
    private URI url;
    private boolean stopped;
    private Future<Void> stopping;

    /** A replica set under control: its desired count, its replicas in creation order, restarts of ones now gone. */
    private static final class Controlled {
        int desired;
        int pastRestarts;
        final List<LocalReplica> replicas = new ArrayList<>();
    }

    /**
     * Client connections the platform's proxy accepts at once; it closes more at once, as an ingress out of worker
     * connections does, so a load on this platform should open no more.
     */
    public int maxClientConnections() {
        return FrontProxy.MAX_CLIENT_CONNECTIONS;
    }

    public LocalPlatform(Vertx vertx, Service service, Clock clock, EventLog events, int connections) {
        this(vertx, service, clock, events, connections, 1);
    }

    /** @param cells cell sets the stable version starts in, routed by cell when more than 1 */
    public LocalPlatform(Vertx vertx, Service service, Clock clock, EventLog events, int connections, int cells) {
        this(vertx, service, clock, events, connections, cells, CrashLoopBackoff.DEFAULT);
    }

    public LocalPlatform(Vertx vertx, Service service, Clock clock, EventLog events, int connections, int cells,
                         CrashLoopBackoff backoff) {
        if (cells < 1) {
            throw new IllegalArgumentException("cells must be at least 1, got " + cells);
        }
        this.service = service;
        this.clock = clock;
        this.events = events;
        this.cells = cells;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.front = new FrontProxy(FrontProxy.LANES, Math.max(8, connections), FrontProxy.MAX_CLIENT_CONNECTIONS);
        this.lag = new LoopLag(events, List.of(((VertxInternal) vertx).nettyEventLoopGroup(),
            ((VertxInternal) front.vertx()).nettyEventLoopGroup()), ReadinessProber.excusingLag(service.readiness()));
        this.endpoints = new EndpointPropagation(this, clock, service.endpointLag(), (seen, routing) -> {
            front.update(seen, routing);
            checkStarted();
        });
        this.faults = new LocalFaultInjector(this, service, front, events);
        this.prober = new ReadinessProber(vertx, service.readiness(), lag, faults::paused);
        for (int i = 0; i < REPLICA_LOOPS; i++) {
            // A fresh context takes the next of the platform's loops (no public API names a loop).
            replicaLoops.add(((VertxInternal) vertx).createEventLoopContext());
        }
    }

    /** What carries faults out on this platform's replicas and proxy. */
    public LocalFaultInjector faults() {
        return faults;
    }

    /**
     * Deploys the stable version: {@code service.replicas} in one set routed {@link Routing.AllReady}, or split as
     * evenly as possible over sets {@code (stable, 1..cells)} routed {@link Routing.ByCell}.
     */
    @Override
    public synchronized Future<URI> start() {
        if (started != null) {
            return started.future();
        }
        started = Promise.promise();
        lag.start();
        route(cells > 1 ? new Routing.ByCell(cells) : new Routing.AllReady());
        ReplicaSet.spread(service.stable().version(), service.replicas(), cells).forEach(this::scale);
        front.listen(0).onComplete(listening -> {
            synchronized (this) {
                if (listening.failed()) {
                    started.tryFail(listening.cause());
                } else if (stopped) {
                    front.close();
                } else {
                    url = URI.create("http://" + DemoService.DEFAULT_HOST + ":" + listening.result() + "/");
                    checkStarted();
                }
            }
        });
        return started.future();
    }

    private void checkStarted() {
        if (started != null && url != null
            && sets.entrySet().stream().allMatch(e -> status(e.getKey()).ready() >= e.getValue().desired)) {
            started.tryComplete(url);
        }
    }

    /**
     * The replica set controller: creates replicas with the version's spec, or terminates the newest first.
     *
     * @throws IllegalArgumentException for a version that is neither the stable nor the candidate one
     */
    @Override
    public synchronized void scale(ReplicaSet set, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
        }
        spec(set.version());
        if (stopped) {
            return;
        }
        Controlled controlled = sets.computeIfAbsent(set, s -> new Controlled());
        controlled.desired = replicas;
        reconcile(set, controlled);
    }

    private void reconcile(ReplicaSet set, Controlled controlled) {
        List<LocalReplica> live = controlled.replicas.stream().filter(LocalReplica::live).toList();
        for (int i = live.size(); i < controlled.desired; i++) {
            LocalReplica replica = new LocalReplica(this, set, ++pods);
            controlled.replicas.add(replica);
            replica.start();
        }
        for (int i = live.size() - 1; i >= controlled.desired; i--) {
            live.get(i).terminate();
        }
    }

    private VersionSpec spec(String version) {
        if (version.equals(service.stable().version())) {
            return service.stable();
        }
        if (service.candidate() != null && version.equals(service.candidate().version())) {
            return service.candidate();
        }
        throw new IllegalArgumentException("unknown version \"" + version + "\": the service has stable "
            + service.stable().version() + (service.candidate() == null ? "" : " and candidate "
            + service.candidate().version()));
    }

    @Override
    public synchronized ReplicaSetStatus status(ReplicaSet set) {
        Controlled controlled = sets.get(set);
        if (controlled == null) {
            return ReplicaSetStatus.NONE;
        }
        int ready = 0;
        int restarts = controlled.pastRestarts;
        for (LocalReplica r : controlled.replicas) {
            if (r.ready() && endpoints.published(r.endpoint())) {
                ready++;
            }
            restarts += r.restarts();
        }
        return new ReplicaSetStatus(controlled.desired, controlled.replicas.size(), ready, restarts);
    }

    @Override
    public synchronized void route(Routing routing) {
        Objects.requireNonNull(routing, "routing");
        if (stopped) {
            return;
        }
        events.add(EventType.ROUTE, "routing", routing.toString());
        endpoints.route(routing);
    }

    /**
     * Kills every replica and process, ends every fault and closes the proxy; later calls return the first call's
     * future.
     */
    @Override
    public synchronized Future<Void> stop() {
        if (stopping != null) {
            return stopping;
        }
        stopped = true;
        lag.stop();
        endpoints.stop();
        faults.stop();
        if (started != null) {
            started.tryFail("the platform was stopped before every replica was ready");
        }
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(front.stop());
        sets.values().forEach(c -> List.copyOf(c.replicas).forEach(r -> closing.add(r.kill("stopped"))));
        stopping = Future.join(closing).eventually(prober::close).mapEmpty();
        return stopping;
    }

    // What replicas and faults use of their platform, always under its monitor.

    Clock clock() {
        return clock;
    }

    EventLog events() {
        return events;
    }

    Service service() {
        return service;
    }

    CrashLoopBackoff backoff() {
        return backoff;
    }

    EndpointPropagation endpoints() {
        return endpoints;
    }

    ReadinessProber prober() {
        return prober;
    }

    /** Every replica of every set, terminating ones included, set by set in creation order. */
    Stream<LocalReplica> replicas() {
        return sets.values().stream().flatMap(c -> c.replicas.stream());
    }

    Container container(String version, String pod, int port) {
        return service.command() == null
            ? new Container.InProcess(replicaLoops.get(launches++ % replicaLoops.size()), port, version, pod,
                spec(version).behavior(), clock)
            : new Container.OsProcess(service.command(), port, version, pod, clock);
    }

    /** A replica has terminated: the controller forgets it and makes up the desired count. */
    void gone(LocalReplica replica) {
        Controlled controlled = sets.get(replica.set());
        controlled.replicas.remove(replica);
        controlled.pastRestarts += replica.restarts();
        if (!stopped) {
            reconcile(replica.set(), controlled);
        }
    }
}
