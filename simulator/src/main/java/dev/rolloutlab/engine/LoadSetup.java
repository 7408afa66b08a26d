package dev.rolloutlab.engine;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.measure.StatusSet;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.scenario.ConnectionReuse;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.OutagePolicy;
import dev.rolloutlab.scenario.RequestSpec;
import dev.rolloutlab.traffic.FileLimit;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.traffic.RequestKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A scenario's {@code load} turned into what the traffic and measure packages take as plain values: the plan, the
 * generator's settings, and a recorder sized for the plan.
 */
public final class LoadSetup {
    /** The recorder's time resolution: the 10 ms buckets every windowed metric is computed on. */
    static final long BUCKET_NANOS = 10_000_000L;
    /**
     * Event loops of the generator: one keeps well over 100,000 requests a second on schedule here, and the
     * platform's replicas need the remaining cores.
     */
    public static final int GENERATOR_LANES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

    private LoadSetup() {
    }

    /** The plan of a scenario's {@code load}: its constant rate, or its ramps starting from {@code rate} (or 0). */
    public static LoadPlan plan(Load load) {
        List<LoadPlan.RateRamp> ramps = load.ramps().stream()
            .map(r -> new LoadPlan.RateRamp(r.rate().perSecond(), r.duration())).toList();
        return LoadPlan.ramps(load.rate() == null ? 0 : load.rate().perSecond(), ramps, load.duration());
    }

    /**
     * The generator's settings. Its connections are the scenario's cap, lowered to what this process's open-file
     * limit leaves (on the local platform each connection also holds the proxy's two sockets and the replica's one)
     * and to what the local platform's proxy accepts ({@code localProxyCap}, null elsewhere): past either, the load
     * could only fail for this machine's sake, which must never read as the service's failure. Each of the
     * {@code lanes} needs a connection of its own, so fewer connections than lanes are raised to the lanes.
     */
    static Generator.Config generatorConfig(Load load, List<RequestKind> requests, URI target, Integer localProxyCap,
                                            int lanesWanted, EventLog events) {
        int byFiles = FileLimit.connectionCap(load.maxConnections(), localProxyCap != null ? 4 : 1);
        int cap = localProxyCap == null ? byFiles : Math.min(byFiles, localProxyCap);
        if (cap < load.maxConnections()) {
            events.add(EventType.GENERATOR_CONNECTION_CAP, "maxConnections", cap, "asked", load.maxConnections(),
                "why", cap == byFiles ? "the process's open-file limit (ulimit -n) leaves room for no more"
                    : "the local platform's proxy accepts no more client connections");
        }
        int lanes = Math.min(lanesWanted, cap);
        ConnectionReuse reuse = load.connectionReuse();
        return new Generator.Config(target, Math.max(lanes, Math.min(load.connections(), cap)), cap,
            new Generator.Reuse(reuse.maxRequests(), reuse.maxAge()), load.timeout(), load.maxSendLag(),
            load.users(), load.versionHeader(), StatusSet.parse(load.success()), 1, lanes, requests);
    }

    /**
     * The load's request mix as the generator takes it, bodies read from their files (relative to the scenario's
     * {@code source}); empty without {@code load.requests}.
     *
     * @throws RunFailure when a body file that validation read can no longer be read
     */
    static List<RequestKind> requestKinds(Load load, Path source) {
        return load.requests().stream().map(r -> new RequestKind(r.name(), r.method(), r.path(), r.headers(),
            body(r, source), r.weight())).toList();
    }

    private static byte[] body(RequestSpec r, Path source) {
        if (r.body() != null) {
            return r.body().getBytes(StandardCharsets.UTF_8);
        }
        if (r.bodyFile() == null) {
            return null;
        }
        Path file = r.bodyFileIn(source);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RunFailure("cannot read the body of request " + r.name() + " from " + file, e);
        }
    }

    /**
     * A generator with a scenario load's defaults for everything but what is given (benchmarks and tests that drive
     * a generator without a scenario).
     */
    public static Generator.Config defaultGenerator(URI target, int connections, Duration timeout, int users,
                                                    String versionHeader, StatusSet success, long seed, int lanes) {
        ConnectionReuse reuse = ConnectionReuse.DEFAULT;
        return new Generator.Config(target, connections, Math.max(connections, Load.DEFAULT_MAX_CONNECTIONS),
            new Generator.Reuse(reuse.maxRequests(), reuse.maxAge()), timeout, Load.DEFAULT_MAX_SEND_LAG, users,
            versionHeader, success, seed, lanes, List.of());
    }

    /**
     * The recorder for a plan: its in-flight window holds every request that can be outstanding at the plan's peak
     * rate (timeout plus 2 s of slack), and latencies are tracked exactly up to the timeout plus 1 s.
     */
    static Recorder recorder(LoadPlan plan, Duration timeout, int users, OutagePolicy outage,
                             List<RequestKind> requests) {
        long timeoutNanos = timeout.toNanos();
        int inFlight = (int) Math.min(1 << 24, plan.peakRate() * (timeoutNanos + 2e9) / 1e9) + 1024;
        return new Recorder(BUCKET_NANOS, outage.minFailures(), outage.chance(), users, inFlight,
            timeoutNanos + 1_000_000_000L, RequestKind.names(requests));
    }

    /** {@link #recorder(LoadPlan, Duration, int, OutagePolicy, List)} with the default outage policy and no mix. */
    public static Recorder recorder(LoadPlan plan, Duration timeout, int users) {
        return recorder(plan, timeout, users, OutagePolicy.DEFAULT, List.of());
    }

    /**
     * The warm-up's unrecorded load before time 0: rising from a tenth of the plan's starting rate (a tenth of its
     * peak when it starts from 0) to that rate over half the warm-up, then holding it while the JIT compiles the hot
     * paths at full rate. A cold service hit at full rate falls behind, and the clients' answer to a slow service,
     * more connections, would only bury it deeper.
     */
    static LoadPlan warmUpPlan(LoadPlan plan, Duration length) {
        double rate = plan.rateAt(0) > 0 ? plan.rateAt(0) : plan.peakRate() / 10;
        return LoadPlan.ramps(rate / 10, List.of(new LoadPlan.RateRamp(rate, length.dividedBy(2))), length);
    }
}
