package dev.rolloutlab.platform.local;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.VersionSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The embedded platform, Kubernetes-like with no cluster: every replica is a real HTTP server on 127.0.0.1 (the
 * in-process demo service, or {@code service.command} as a process) with a pod's lifecycle ({@link LocalReplica}),
 * behind a real reverse proxy that plays the Service ({@link FrontProxy}). A replica set controller keeps each set at
 * its desired count, replacing replicas that were killed.
 *
 * <p>The proxy sees endpoint and routing changes only after {@code service.endpointLag}, in the order they were made,
 * as kube-proxy sees Endpoints updates: this lag is what makes a termination without enough preStop drop requests.
 *
 * <p>It carries out every {@link dev.rolloutlab.chaos.FaultType} as a {@link FaultPort}: faults on replicas act on
 * the replicas, network faults are played by the proxy between the Service and the pods.
 *
 * <p>The proxy runs on event loops of its own and the in-process replicas on {@link #REPLICA_LOOPS} of the platform's,
 * so neither the generator nor the proxy waits for a replica. When the platform's own loops run late ({@link LoopLag}), the log
 * says so ({@code platform-lagging}) and probes that timed out meanwhile are not held against the replicas.
 *
 * <p>Calls arrive from the engine, clock timers, probe answers and process exits on any thread; all state is guarded
 * by this object's monitor. Once stopped, the platform ignores further calls.
 */
public final class LocalPlatform implements Platform, FaultPort {
    static final Runnable NOTHING = () -> { };
    /**
     * Share of a replica's CPU a cpu-stress takes: a stress process as busy as the app, in a container at its CPU
     * limit, leaves the app some of each period and takes most of it.
     */
    static final double CPU_STRESS_SHARE = 0.8;
    /**
     * Event loops the in-process replicas share: half the cores. The demo's work per request is tiny, and on a small
     * machine every further busy loop costs more in wake-ups and context switches than it adds (measured on 2 cores:
     * replicas spread over 4 loops and a 2-loop proxy collapsed at 10,000 requests/s where 1 + 1 loops carried it).
     */
    static final int REPLICA_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final Vertx vertx;
    private final Service service;
    private final Clock clock;
    private final EventLog events;
    private final int cells;
    private final CrashLoopBackoff backoff;
    private final FrontProxy front;
    private final HttpClient probes;
    private final LoopLag lag;
    /** The event loops in-process replicas run on, in turn. */
    private final List<Context> replicaLoops = new ArrayList<>();
    private final Map<ReplicaSet, Controlled> sets = new LinkedHashMap<>();
    /** Endpoint and routing changes made and not yet seen by the proxy, oldest first. */
    private final ArrayDeque<Change> propagating = new ArrayDeque<>();
    /** What the proxy sees. */
    private final Set<Endpoint> published = new LinkedHashSet<>();
    /** Faults started and not ended, with what ends each; by identity, as the engine ends the instance it started. */
    private final Map<Fault, Runnable> active = new IdentityHashMap<>();
    private final Set<LocalReplica> crashLooping = new HashSet<>();
    /** Pods of paused replicas: their probes go unanswered. */
    private final Set<String> paused = new HashSet<>();
    private Routing routing = new Routing.AllReady();
    private long changes;
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

    private record Change(long seq, Runnable apply) {
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
        this.vertx = vertx;
        this.service = service;
        this.clock = clock;
        this.events = events;
        this.cells = cells;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.front = new FrontProxy(FrontProxy.LANES, Math.max(8, connections), FrontProxy.MAX_CLIENT_CONNECTIONS);
        // A probe is a new connection every time, as the kubelet's are.
        this.probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        for (int i = 0; i < REPLICA_LOOPS; i++) {
            // A fresh context takes the next of the platform's loops (no public API names a loop).
            replicaLoops.add(((VertxInternal) vertx).createEventLoopContext());
        }
        this.lag = new LoopLag(events, List.of(((VertxInternal) vertx).nettyEventLoopGroup(),
            ((VertxInternal) front.vertx()).nettyEventLoopGroup()));
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
            if (r.ready() && published.contains(r.endpoint())) {
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
        propagate(() -> this.routing = routing, NOTHING);
    }

    public synchronized int runningReplicas() {
        return sets.values().stream().mapToInt(c -> c.replicas.size()).sum();
    }

    /**
     * Starts a fault, scoped to its target's replicas (with {@link Routing.ByCell}, a cell's replicas serve exactly
     * that cell's users). Replica faults (kill, crash-loop, pause, cpu-stress) pick the oldest running replicas of the
     * target, {@code count} or a {@code share} of them (at least one); network faults (latency, errors, partition,
     * loss) are played by the proxy on every request routed to the target, including to replicas started later.
     */
    @Override
    public synchronized void start(Fault fault) {
        if (stopped) {
            return;
        }
        if (fault.type() == FaultType.KILL) {
            kill(fault.target(), victims(fault).size());
            return;
        }
        if (fault.type() == FaultType.CPU_STRESS && service.command() != null) {
            throw new IllegalArgumentException("cpu-stress on the local platform slows the in-process demo "
                + "replicas only; a service.command process cannot be slowed alone");
        }
        List<LocalReplica> hit = switch (fault.type()) {
            case CRASH_LOOP, PAUSE, CPU_STRESS -> victims(fault);
            default -> live(fault.target()).toList();
        };
        Predicate<Endpoint> routed = e -> hits(fault.target(), e.version(), e.cell());
        double share = fault.share() == null ? 1 : fault.share();
        Runnable end = switch (fault.type()) {
            case OUTAGE -> outage();
            case CRASH_LOOP -> crashLoop(hit);
            case PAUSE -> pause(hit);
            case CPU_STRESS -> stress(hit);
            case LATENCY -> front.impair(front.delay(routed, share, fault.delay(),
                fault.jitter() == null ? Duration.ZERO : fault.jitter()));
            case ERRORS -> front.impair(FrontProxy.errors(routed, share));
            case PARTITION -> front.impair(FrontProxy.partition(routed));
            case LOSS -> front.impair(FrontProxy.loss(routed, share));
            case KILL -> throw new IllegalStateException("a kill is instant");
        };
        active.put(fault, end);
        events.add(EventType.FAULT_START, "type", fault.type().yamlName(), "target", fault.target().toString(),
            "duration", fault.duration().toNanos() / 1e9, "pods", hit.stream().map(LocalReplica::pod).toList());
    }

    /** Ends a fault {@link #start} started; also after {@link #stop}, so nothing it left is running. */
    @Override
    public synchronized void end(Fault fault) {
        Runnable end = active.remove(fault);
        if (end != null) {
            end.run();
            events.add(EventType.FAULT_END, "type", fault.type().yamlName(), "target", fault.target().toString());
        }
    }

    @Override
    public synchronized void endAll() {
        List.copyOf(active.keySet()).forEach(this::end);
    }

    /** {@code count}, or a {@code share} of the target's running replicas (at least 1), or all of them, oldest first. */
    private List<LocalReplica> victims(Fault fault) {
        List<LocalReplica> running = live(fault.target()).toList();
        int n = fault.count() != null ? fault.count()
            : fault.share() != null ? Math.max(1, (int) Math.round(fault.share() * running.size()))
            : running.size();
        return running.subList(0, Math.min(n, running.size()));
    }

    /** Every request fails: the Service's listener is closed, connections refused until the end reopens it. */
    private Runnable outage() {
        Future<Void> closed = front.close();
        return () -> closed.onComplete(ignored -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
            }
            front.listen(0).onFailure(e -> events.add(EventType.PLATFORM_ERROR, "message",
                "cannot reopen the service port: " + e.getMessage()));
        });
    }

    /** The replicas crash now and on every restart until the end; restarts follow the crash-loop back-off. */
    private Runnable crashLoop(List<LocalReplica> hit) {
        crashLooping.addAll(hit);
        hit.forEach(LocalReplica::crash);
        return () -> crashLooping.removeAll(hit);
    }

    boolean crashLooping(LocalReplica replica) {
        return crashLooping.contains(replica);
    }

    /**
     * The replicas freeze: their requests hang at the proxy until the end (clients see timeouts, never refusals),
     * their probes fail as unanswered ones do, and a process replica is stopped with SIGSTOP.
     */
    private Runnable pause(List<LocalReplica> hit) {
        Set<String> pods = hit.stream().map(LocalReplica::pod).collect(Collectors.toUnmodifiableSet());
        Promise<Void> resumed = Promise.promise();
        Runnable release = front.impair(front.hold(e -> pods.contains(e.pod()), resumed.future()));
        paused.addAll(pods);
        hit.forEach(r -> r.freeze(true));
        return () -> {
            paused.removeAll(pods);
            hit.forEach(r -> r.freeze(false));
            release.run();
            resumed.complete();
        };
    }

    /**
     * A stressor in each hit replica's container takes {@link #CPU_STRESS_SHARE} of its CPU (see
     * {@link DemoService#stress}): those replicas answer late, nothing else on this machine slows. A replica restarted
     * meanwhile is a new container, without the stressor.
     */
    private static Runnable stress(List<LocalReplica> hit) {
        hit.forEach(r -> r.stress(CPU_STRESS_SHARE));
        return () -> hit.forEach(r -> r.stress(0));
    }

    /**
     * Kills {@code count} running replicas of {@code target} at once (fewer if it has fewer), as a pod-kill fault
     * does: connections reset, and the controller replaces them with new replicas (a kill is not a restart). The
     * oldest replicas go first, so a scenario kills the same ones on every run.
     */
    public synchronized void kill(Target target, int count) {
        if (stopped) {
            return;
        }
        List<LocalReplica> victims = live(target).limit(count).toList();
        events.add(EventType.FAULT_START, "type", "kill", "target", target.toString(), "count", count,
            "pods", victims.stream().map(LocalReplica::pod).toList());
        victims.forEach(r -> r.kill("killed"));
        events.add(EventType.FAULT_END, "type", "kill", "target", target.toString());
    }

    private java.util.stream.Stream<LocalReplica> live(Target target) {
        return sets.entrySet().stream()
            .filter(e -> hits(target, e.getKey()))
            .flatMap(e -> e.getValue().replicas.stream())
            .filter(LocalReplica::live)
            .sorted(Comparator.comparingInt(LocalReplica::seq));
    }

    private boolean hits(Target target, ReplicaSet set) {
        return hits(target, set.version(), set.cell());
    }

    private boolean hits(Target target, String version, int cell) {
        return switch (target.kind()) {
            case STABLE -> version.equals(service.stable().version());
            case CANDIDATE -> service.candidate() != null && version.equals(service.candidate().version());
            case ALL -> true;
            case CELL -> cell == target.cell();
        };
    }

    /** Kills every replica and process and closes the proxy; later calls return the first call's future. */
    @Override
    public synchronized Future<Void> stop() {
        if (stopping != null) {
            return stopping;
        }
        stopped = true;
        lag.stop();
        endAll();
        propagating.clear();
        if (started != null) {
            started.tryFail("the platform was stopped before every replica was ready");
        }
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(front.stop());
        sets.values().forEach(c -> List.copyOf(c.replicas).forEach(r -> closing.add(r.kill("stopped"))));
        stopping = Future.join(closing).eventually(probes::close).mapEmpty();
        return stopping;
    }

    // What replicas use of their platform, always under its monitor.

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

    Container container(String version, String pod, int port) {
        return service.command() == null
            ? new Container.InProcess(replicaLoops.get(launches++ % replicaLoops.size()), port, version, pod,
                spec(version).behavior(), clock)
            : new Container.OsProcess(service.command(), port, version, pod, clock);
    }

    /**
     * One readiness probe: an HTTP GET of the readiness path, passed by a 2xx or 3xx within the probe's timeout; a
     * paused replica's probe goes unanswered for that long. A probe that timed out while the platform's own loops
     * lagged is inconclusive: the answer may have been late on this side, not the replica's.
     */
    Future<Probe> probe(Endpoint endpoint) {
        Readiness readiness = service.readiness();
        long timeout = Math.max(1, readiness.timeout().toMillis());
        if (paused.contains(endpoint.pod())) {
            return vertx.timer(timeout).map(Probe.FAILED);
        }
        long sent = System.nanoTime();
        // Half the timeout lost on this side leaves too little for the replica to be blamed.
        Duration lagThreshold = Collections.min(List.of(LoopLag.BOUND, readiness.timeout().dividedBy(2)));
        return endpoint.origin().compose(address -> probes.request(new RequestOptions()
                .setHost(address.host())
                .setPort(address.port())
                .setURI(readiness.path())
                .setTimeout(timeout)))
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> response.statusCode() / 100 == 2
                || response.statusCode() / 100 == 3 ? Probe.PASSED : Probe.FAILED))
            .otherwise(failure -> failure instanceof TimeoutException && lag.laggedSince(sent, lagThreshold)
                ? Probe.INCONCLUSIVE : Probe.FAILED);
    }

    void publish(Endpoint endpoint) {
        propagate(() -> published.add(endpoint), NOTHING);
    }

    /** Takes the endpoint out of the proxy's view after the lag, then runs {@code then}. */
    void unpublish(Endpoint endpoint, Runnable then) {
        propagate(() -> published.remove(endpoint), then);
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

    /**
     * Applies {@code change} to the proxy's view once the endpoint lag has passed. Each change's timer applies every
     * change up to it, so changes take effect in the order they were made whatever order timers fire in.
     */
    private void propagate(Runnable change, Runnable then) {
        long seq = ++changes;
        propagating.add(new Change(seq, change));
        clock.schedule(service.endpointLag(), () -> applyThrough(seq, then));
    }

    private synchronized void applyThrough(long seq, Runnable then) {
        if (stopped) {
            return;
        }
        boolean changed = false;
        while (!propagating.isEmpty() && propagating.peek().seq() <= seq) {
            propagating.poll().apply().run();
            changed = true;
        }
        if (changed) {
            front.update(List.copyOf(published), routing);
            checkStarted();
        }
        then.run();
    }
}
