package dev.rolloutlab.engine;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import java.util.Map;

/**
 * A live look at a running load, once per reporting period.
 *
 * @param generatorLimited requests the generator could not make on time so far, and {@code limitedShare} their
 *                         share of the requests made so far
 * @param failedByVersion  the latest second's failures by served version ({@code unknown}: reached none), so the
 *                         line can say which version is failing
 * @param routedFailedByVersion of the failures that reached no version, those a proxy said it routed to a version
 */
public record Progress(double elapsedSeconds, double durationSeconds, double rps, double errorRate, Double p95Ms,
                       Map<String, Long> byVersion, double sendLagMs, boolean lagging,
                       long generatorLimited, double limitedShare, Map<String, Long> failedByVersion,
                       Map<String, Long> routedFailedByVersion) {

    public Progress {
        failedByVersion = failedByVersion == null ? Map.of() : failedByVersion;
        routedFailedByVersion = routedFailedByVersion == null ? Map.of() : routedFailedByVersion;
    }

    /** A look without failures by version. */
    public Progress(double elapsedSeconds, double durationSeconds, double rps, double errorRate, Double p95Ms,
                    Map<String, Long> byVersion, double sendLagMs, boolean lagging, long generatorLimited,
                    double limitedShare) {
        this(elapsedSeconds, durationSeconds, rps, errorRate, p95Ms, byVersion, sendLagMs, lagging, generatorLimited,
            limitedShare, Map.of(), Map.of());
    }

    /** The latest second of traffic, leaving its slowest requests a moment to come back. */
    static Progress of(Clock clock, Recorder recorder, Generator gen, LoadPlan plan) {
        long now = clock.nanos();
        long to = Math.max(0, now - 200_000_000L);
        Recorder.WindowCounts w = recorder.window(Math.max(0, to - 1_000_000_000L), to);
        var latency = recorder.latencyOfSecond(recorder.lastSummarisedSecond());
        long lag = gen.takeRecentMaxLag();
        double seconds = Math.min(1e9, to) / 1e9;
        return new Progress(now / 1e9, plan.duration().toNanos() / 1e9, seconds == 0 ? 0 : w.total() / seconds,
            w.total() == 0 ? 0 : w.failed() / (double) w.total(), latency == null ? null : latency.p95(),
            w.byVersion(), lag / 1e6, lag > Generator.SATURATION_LAG_NANOS, gen.limited(),
            gen.limited() / (double) Math.max(1, gen.sent() + gen.limited()), w.failedByVersion(),
            w.routedFailedByVersion());
    }
}
