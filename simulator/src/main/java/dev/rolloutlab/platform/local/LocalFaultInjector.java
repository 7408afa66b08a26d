package dev.rolloutlab.platform.local;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.scenario.Service;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Carries out every {@link FaultType} on the local platform, as Chaos Mesh does on a cluster: faults on replicas act
 * on the platform's replicas, network faults are played by its proxy between the Service and the pods.
 *
 * <p>Calls arrive from the engine's clock on any thread; all state is guarded by the platform's monitor, as the
 * replicas' is, since crash-looping and paused replicas are read by the replicas themselves. Once the platform has
 * stopped, faults end when told to and new ones are ignored.
 */
public final class LocalFaultInjector implements FaultPort {
    /**
     * Share of a replica's CPU a cpu-stress takes: a stress process as busy as the app, in a container at its CPU
     * limit, leaves the app some of each period and takes most of it.
     */
    static final double CPU_STRESS_SHARE = 0.8;

    private final LocalPlatform platform;
    private final Service service;
    private final FrontProxy front;
    private final EventLog events;
    /** Faults started and not ended, with what ends each; by identity, as the engine ends the instance it started. */
    private final Map<Fault, Runnable> active = new IdentityHashMap<>();
    private final Set<LocalReplica> crashLooping = new HashSet<>();
    /** Pods of paused replicas: their probes go unanswered. */
    private final Set<String> paused = new HashSet<>();
    private boolean stopped;

    /** @param platform whose replicas the faults hit, and whose monitor guards them */
    LocalFaultInjector(LocalPlatform platform, Service service, FrontProxy front, EventLog events) {
        this.platform = platform;
        this.service = service;
        this.front = front;
        this.events = events;
    }

    /**
     * Starts a fault, scoped to its target's replicas (with {@link dev.rolloutlab.platform.Routing.ByCell}, a cell's
     * replicas serve exactly that cell's users). Replica faults (kill, crash-loop, pause, cpu-stress) pick the oldest
     * running replicas of the target, {@code count} or a {@code share} of them (at least one); network faults
     * (latency, errors, partition, loss) are played by the proxy on every request routed to the target, including to
     * replicas started later.
     */
    @Override
    public void start(Fault fault) {
        synchronized (platform) {
            if (stopped) {
                return;
            }
            // When the fault takes effect: what follows may take a while, and requests fail from now.
            long at = platform.clock().nanos();
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
            events.addAt(at, EventType.FAULT_START, "type", fault.type().yamlName(), "target",
                fault.target().toString(), "duration", fault.duration().toNanos() / 1e9, "pods",
                hit.stream().map(LocalReplica::pod).toList());
        }
    }

    /** Ends a fault {@link #start} started; also after the platform stopped, so nothing it left is running. */
    @Override
    public void end(Fault fault) {
        synchronized (platform) {
            Runnable end = active.remove(fault);
            if (end != null) {
                end.run();
                events.add(EventType.FAULT_END, "type", fault.type().yamlName(), "target", fault.target().toString());
            }
        }
    }

    @Override
    public void endAll() {
        synchronized (platform) {
            List.copyOf(active.keySet()).forEach(this::end);
        }
    }

    /**
     * Kills {@code count} running replicas of {@code target} at once (fewer if it has fewer), as a pod-kill fault
     * does: connections reset, and the controller replaces them with new replicas (a kill is not a restart). The
     * oldest replicas go first, so a scenario kills the same ones on every run.
     */
    void kill(Target target, int count) {
        synchronized (platform) {
            if (stopped) {
                return;
            }
            List<LocalReplica> victims = live(target).limit(count).toList();
            events.add(EventType.FAULT_START, "type", "kill", "target", target.toString(), "count", count,
                "pods", victims.stream().map(LocalReplica::pod).toList());
            victims.forEach(r -> r.kill("killed"));
            events.add(EventType.FAULT_END, "type", "kill", "target", target.toString());
        }
    }

    /** Whether the replica crashes on every restart: a crash loop holds it. */
    boolean crashLooping(LocalReplica replica) {
        return crashLooping.contains(replica);
    }

    /** Whether the pod is paused: its probes go unanswered. */
    boolean paused(String pod) {
        return paused.contains(pod);
    }

    /** The platform is stopping: every fault ends now, and later ones are ignored. */
    void stop() {
        stopped = true;
        endAll();
    }

    /**
     * {@code count}, or a {@code share} of the target's running replicas (at least 1), or all of them, oldest first.
     */
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
            synchronized (platform) {
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

    /** The target's replicas that are not terminating, oldest first. */
    private Stream<LocalReplica> live(Target target) {
        return platform.replicas()
            .filter(r -> hits(target, r.set()))
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
}
