package dev.rolloutlab.strategy;

import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A platform on virtual time, without sockets: a replica turns ready {@code readyAfter} after it is started and stops
 * running {@code terminateAfter} after it is told to go (it leaves the endpoints at once), as a pod with a
 * readiness probe and a grace period would. It records every call a strategy makes and every change of the replica
 * totals, so tests can check the order of steps and the capacity users had at every moment.
 */
final class FakePlatform implements Platform {
    /** Totals after a change, at virtual time {@code nanos}. */
    record Sample(long nanos, int running, int ready) {
    }

    private static final class Replica {
        final long order;
        boolean ready;
        boolean terminating;

        Replica(long order) {
            this.order = order;
        }
    }

    private final ManualClock clock;
    private final String stable;
    private final int replicas;
    private final int cells;
    private final Duration readyAfter;
    private final Duration terminateAfter;
    private final Set<String> neverReady = new HashSet<>();
    private final Map<ReplicaSet, Integer> desired = new LinkedHashMap<>();
    private final Map<ReplicaSet, List<Replica>> pods = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private long created;

    FakePlatform(ManualClock clock, String stable, int replicas, int cells, Duration readyAfter,
                 Duration terminateAfter) {
        this.clock = clock;
        this.stable = stable;
        this.replicas = replicas;
        this.cells = cells;
        this.readyAfter = readyAfter;
        this.terminateAfter = terminateAfter;
    }

    /** Replicas of {@code version} start but never pass readiness, like a release that cannot boot. */
    void neverReady(String version) {
        neverReady.add(version);
    }

    /** The stable version ready at once, split into cells as the platform contract says. */
    @Override
    public Future<URI> start() {
        if (cells == 1) {
            startReady(ReplicaSet.of(stable), replicas);
        } else {
            for (int k = 1; k <= cells; k++) {
                startReady(new ReplicaSet(stable, k), replicas / cells + (k <= replicas % cells ? 1 : 0));
            }
        }
        sample();
        return Future.succeededFuture(URI.create("http://fake.invalid/"));
    }

    private void startReady(ReplicaSet set, int count) {
        desired.put(set, count);
        for (int i = 0; i < count; i++) {
            Replica r = new Replica(created++);
            r.ready = true;
            pods.computeIfAbsent(set, s -> new ArrayList<>()).add(r);
        }
    }

    /** As a ReplicaSet controller: starts what is missing, and stops unready replicas first, then the newest. */
    @Override
    public void scale(ReplicaSet set, int count) {
        calls.add("scale " + set + " " + count);
        desired.put(set, count);
        List<Replica> all = pods.computeIfAbsent(set, s -> new ArrayList<>());
        List<Replica> active = new ArrayList<>(all.stream().filter(r -> !r.terminating).toList());
        for (int i = active.size(); i < count; i++) {
            Replica r = new Replica(created++);
            all.add(r);
            if (!neverReady.contains(set.version())) {
                clock.schedule(readyAfter, () -> {
                    r.ready = !r.terminating;
                    sample();
                });
            }
        }
        active.sort(Comparator.<Replica, Boolean>comparing(r -> r.ready).thenComparing(r -> -r.order));
        for (Replica r : active.subList(0, Math.max(0, active.size() - count))) {
            r.terminating = true;
            r.ready = false;
            clock.schedule(terminateAfter, () -> {
                all.remove(r);
                sample();
            });
        }
        sample();
    }

    @Override
    public ReplicaSetStatus status(ReplicaSet set) {
        List<Replica> all = pods.getOrDefault(set, List.of());
        return new ReplicaSetStatus(desired.getOrDefault(set, 0), all.size(),
            (int) all.stream().filter(r -> r.ready).count(), 0);
    }

    @Override
    public void route(Routing routing) {
        calls.add("route " + describe(routing));
    }

    private static String describe(Routing routing) {
        if (routing instanceof Routing.Selector s) {
            return "selector " + s.version();
        }
        if (routing instanceof Routing.Weighted w) {
            return "weighted " + Math.round(w.candidateWeight() * 100) + "%";
        }
        if (routing instanceof Routing.ByCell c) {
            return "by-cell " + c.cells();
        }
        return "all-ready";
    }

    public int runningReplicas() {
        return pods.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }

    private void sample() {
        int ready = pods.values().stream().mapToInt(l -> (int) l.stream().filter(r -> r.ready).count()).sum();
        samples.add(new Sample(clock.nanos(), runningReplicas(), ready));
    }

    /** Every scale and route call so far, e.g. {@code scale v2 3}, {@code route weighted 25%}. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    int peakRunning() {
        return samples.stream().mapToInt(Sample::running).max().orElse(0);
    }

    int leastReady() {
        return samples.stream().mapToInt(Sample::ready).min().orElse(0);
    }

    /** Seconds during which no replica at all was ready, up to now: a full outage. */
    double secondsWithNoneReady() {
        long total = 0;
        for (int i = 0; i < samples.size(); i++) {
            long end = i + 1 < samples.size() ? samples.get(i + 1).nanos() : clock.nanos();
            total += samples.get(i).ready() == 0 ? end - samples.get(i).nanos() : 0;
        }
        return total / 1e9;
    }
}
