package dev.rolloutlab.metrics;

import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.measure.SecondLatencies;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.GeneratorLimited;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Milestone;
import dev.rolloutlab.result.Outage;
import dev.rolloutlab.result.RequestsOfName;
import dev.rolloutlab.result.TimelinePoint;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Computes the metrics of the contract (docs/metrics.md) from a finished {@link Recorder} and the run's facts.
 * Window-based metrics work on the recorder's buckets, so their boundaries have bucket resolution (10 ms by
 * default); outage metrics come from the in-order stream and have request resolution.
 */
public final class MetricsCalculator {
    /** Share of the second after the instant that must succeed on the stable version for traffic to be restored. */
    static final double RESTORED_SHARE = 0.99;
    private static final double NANOS = 1e9;

    private final Recorder r;
    private final RunFacts f;
    private final int bps;
    private final int runBuckets;

    public MetricsCalculator(Recorder recorder, RunFacts facts) {
        this.r = recorder;
        this.f = facts;
        this.bps = recorder.bucketsPerSecond();
        this.runBuckets = (int) Math.max(recorder.buckets(), ceilDiv(facts.loadEndNanos(), recorder.bucketNanos()));
    }

    public Metrics metrics() {
        Map<Outcome, Long> outcomes = r.outcomeTotals();
        long requests = outcomes.values().stream().mapToLong(Long::longValue).sum();
        FailuresByCause causes = new FailuresByCause(outcomes.get(Outcome.REFUSED), outcomes.get(Outcome.RESET),
            outcomes.get(Outcome.TIMEOUT), outcomes.get(Outcome.HTTP5XX), outcomes.get(Outcome.HTTP4XX),
            outcomes.get(Outcome.OTHER));
        long failed = causes.total();
        Double overhead = f.peakReplicas() == null || f.baselineReplicas() == null || f.baselineReplicas() == 0 ? null
            : f.peakReplicas() / (double) f.baselineReplicas() - 1;
        return new Metrics(requests, failed, requests == 0 ? 0 : failed / (double) requests,
            r.downtimeNanos() / NANOS, r.longestOutageNanos() / NANOS, degradedSeconds(),
            rollbackSeconds(), seconds(f.at(Milestone.DECISION), f.at(Milestone.ROLLED_BACK)), detectionSeconds(),
            deploymentSeconds(), blastRadius(), f.peakReplicas(), f.baselineReplicas(),
            overhead, latency(r.latency()), r.requestsByVersion(), causes, trafficRestored(),
            r.unmeasurableOutages(), generatorLimited(requests), r.routedFailuresByVersion(), exposure(),
            requestsByName());
    }

    /** Each kind of request of the mix: its counts, and the latency of its successful requests like latencyMs. */
    Map<String, RequestsOfName> requestsByName() {
        Map<String, RequestsOfName> byName = new LinkedHashMap<>();
        r.byRequestName().forEach((name, t) -> {
            LatencyMs l = latency(t.latency());
            byName.put(name, new RequestsOfName(t.requests(), t.failed(), l.p50(), l.p95(), l.p99(), l.max()));
        });
        return byName;
    }

    /** One point per second of the run. */
    public List<TimelinePoint> timeline() {
        List<TimelinePoint> points = new ArrayList<>();
        for (int s = 0; s * bps < runBuckets; s++) {
            Recorder.WindowCounts w = second(s);
            SecondLatencies.Summary l = r.latencyOfSecond(s);
            int limited = 0;
            for (int b = s * bps; b < (s + 1) * bps; b++) {
                limited += r.generatorLimited(b);
            }
            points.add(new TimelinePoint(s, w.total(), w.failed(), w.byVersion(), l == null ? null : round(l.p50()),
                l == null ? null : round(l.p95()), l == null ? null : round(l.p99()), l == null ? null : round(l.max()),
                limited, latencyByVersion(s), w.failedByVersion(), w.routedFailedByVersion()));
        }
        return points;
    }

    /** Each served version's latency percentiles of second {@code s}; versions without a success in it are left out. */
    private Map<String, TimelinePoint.VersionLatency> latencyByVersion(int s) {
        Map<String, TimelinePoint.VersionLatency> byVersion = new TreeMap<>();
        for (String version : r.versions()) {
            SecondLatencies.Summary l = r.latencyOfSecond(s, r.versionId(version));
            if (l != null) {
                byVersion.put(version, new TimelinePoint.VersionLatency(round(l.p50()), round(l.p95()),
                    round(l.p99())));
            }
        }
        return byVersion;
    }

    private Recorder.WindowCounts second(int s) {
        return r.window(s * (long) NANOS, (s + 1) * (long) NANOS);
    }

    /** Every full outage the recorder listed, unmeasurable ones flagged, in seconds since load start. */
    public List<Outage> outages() {
        return r.outageWindows().stream()
            .map(w -> new Outage(w.startNanos() / NANOS, w.endNanos() / NANOS, w.unmeasurable())).toList();
    }

    /**
     * {@code degradedSeconds}: the total length of the aligned 1-second windows whose error ratio exceeds the SLO error
     * rate; the last window, when the load ends inside it, counts by the share of it the load covered (a degraded
     * [10 s, 10.5 s) of a 10.5 s run adds 0.5).
     */
    double degradedSeconds() {
        double degraded = 0;
        for (int s = 0; s * bps < runBuckets; s++) {
            Recorder.WindowCounts w = second(s);
            if (w.total() > 0 && w.failed() / (double) w.total() > f.sloErrorRate()) {
                degraded += Math.min(NANOS, Math.max(0, f.loadEndNanos() - s * NANOS)) / NANOS;
            }
        }
        return degraded;
    }

    /**
     * {@code rollbackSeconds}: from the rollback decision to <em>traffic restored</em>, the first instant t at or after
     * the decision, on the 10 ms bucket grid, such that the requests with intended times in [t, t + 1 s) are at least
     * 99 % successful and served by the stable version, and not one of them was served by the candidate (so a small
     * canary's last requests cannot hide in the 1 %: t is after the last of them). The second must lie inside the
     * run; when no such t exists, to the end of the run, and {@link #trafficRestored()} is false. Resolution: 10 ms
     * or the inter-arrival time, whichever is larger. Null without a rollback.
     */
    Double rollbackSeconds() {
        if (f.at(Milestone.DECISION) == null) {
            return null;
        }
        int restored = restoredBucket();
        long end = restored >= 0 ? restored * r.bucketNanos() : f.loadEndNanos();
        return Math.max(0, end - f.at(Milestone.DECISION)) / NANOS;
    }

    /** {@code trafficRestored}: whether {@link #rollbackSeconds()} found its instant; null without a rollback. */
    public Boolean trafficRestored() {
        return f.at(Milestone.DECISION) == null ? null : restoredBucket() >= 0;
    }

    /** The rollout's milestones and, once traffic was restored, {@link Milestone#RESTORED}: the instant found above. */
    public Map<Milestone, Long> milestones() {
        Map<Milestone, Long> all = new EnumMap<>(Milestone.class);
        all.putAll(f.milestones());
        if (Boolean.TRUE.equals(trafficRestored())) {
            all.put(Milestone.RESTORED, restoredBucket() * r.bucketNanos());
        }
        return all;
    }

    /** The first bucket that starts a second of restored traffic (see {@link #rollbackSeconds()}), or -1. */
    private int restoredBucket() {
        int stable = f.stableVersion() == null ? -1 : r.versionId(f.stableVersion());
        int candidate = f.candidateVersion() == null ? -1 : r.versionId(f.candidateVersion());
        int first = (int) ceilDiv(f.at(Milestone.DECISION), r.bucketNanos());
        long total = 0;
        long good = 0;
        long onCandidate = 0;
        for (int b = first; b < runBuckets; b++) {
            total += r.total(b);
            good += stable < 0 ? 0 : r.succeeded(stable, b);
            onCandidate += candidate < 0 ? 0 : r.served(candidate, b);
            int out = b - bps;
            if (out >= first) {
                total -= r.total(out);
                good -= stable < 0 ? 0 : r.succeeded(stable, out);
                onCandidate -= candidate < 0 ? 0 : r.served(candidate, out);
            }
            if (b - first + 1 >= bps && total > 0 && good >= RESTORED_SHARE * total && onCandidate == 0) {
                return b - bps + 1;
            }
        }
        return -1;
    }

    /**
     * {@code deploymentSeconds}: from {@code rollout-start} to {@code rollout-complete}, or, once a rollback was
     * decided, to {@code rollback-complete}; null when that event did not come before the load ended (or the rollout
     * failed).
     */
    Double deploymentSeconds() {
        return seconds(f.at(Milestone.START), f.at(Milestone.DECISION) != null ? f.at(Milestone.ROLLED_BACK) : f.at(Milestone.PROMOTED));
    }

    /**
     * {@code generatorLimited}: requests the generator could not make on time, by cause; share = limited / (service
     * requests + limited).
     */
    GeneratorLimited generatorLimited(long requests) {
        Map<LimitCause, Long> byCause = r.generatorLimitedTotals();
        long limited = byCause.values().stream().mapToLong(Long::longValue).sum();
        return new GeneratorLimited(limited, limited == 0 ? 0 : limited / (double) (requests + limited),
            new GeneratorLimited.ByCause(byCause.get(LimitCause.EXPIRED_UNSENT), byCause.get(LimitCause.NO_CONNECTION),
                byCause.get(LimitCause.LOOP_LATE)));
    }

    /**
     * {@code detectionSeconds}: from the first bad observation the analysis watches, the first failed request at or
     * after rollout start or the start of the first window in which the breached rule's condition held (a latency or
     * throughput rule sees no failed request), whichever came first, to the rollback decision. Null without a rollback
     * and for a scripted one: nothing was detected.
     */
    Double detectionSeconds() {
        Long decision = f.at(Milestone.DECISION);
        if (decision == null || f.breachSince() == null) {
            return null;
        }
        long first = r.firstFailureInRollout();
        long bad = first >= 0 && first < f.breachSince() ? first : f.breachSince();
        return Math.max(0, decision - bad) / NANOS;
    }

    /** {@code blastRadius}: from rollout start to rollout end (an undo reopens it until its rollback completes). */
    BlastRadius blastRadius() {
        if (f.at(Milestone.START) == null) {
            return BlastRadius.NONE;
        }
        long endNanos = f.rolloutEnd() == null ? f.loadEndNanos() : f.rolloutEnd();
        return blastRadius(endNanos, r.usersInRollout(), r.usersFailedInRollout());
    }

    /** {@code exposure}: the blast radius from rollout start to the end of the run; null without a rollout. */
    BlastRadius exposure() {
        return f.at(Milestone.START) == null ? null
            : blastRadius(f.loadEndNanos(), r.usersExposed(), r.usersFailedExposed());
    }

    private BlastRadius blastRadius(long endNanos, long users, long failedUsers) {
        int from = (int) (f.at(Milestone.START) / r.bucketNanos());
        int to = Math.max(from + 1, (int) Math.min(runBuckets, ceilDiv(endNanos, r.bucketNanos())));
        int candidate = f.candidateVersion() == null ? -1 : r.versionId(f.candidateVersion());
        long known = 0;
        long onCandidate = 0;
        long total = 0;
        long failed = 0;
        for (int b = from; b < to; b++) {
            int t = r.total(b);
            total += t;
            failed += r.failedTotal(b);
            known += t - r.served(0, b);
            onCandidate += candidate < 0 ? 0 : r.served(candidate, b);
        }
        return new BlastRadius(share(onCandidate, known), peakCandidateShare(from, to, candidate),
            share(failed, total), share(failedUsers, users), f.cellsExposed(), f.cellsTotal());
    }

    /** Largest candidate share of any 1-second window inside [from, to) (the whole span when shorter). */
    private Double peakCandidateShare(int from, int to, int candidate) {
        int width = Math.min(bps, to - from);
        long known = 0;
        long onCandidate = 0;
        double peak = -1;
        for (int b = from; b < to; b++) {
            known += r.total(b) - r.served(0, b);
            onCandidate += candidate < 0 ? 0 : r.served(candidate, b);
            int out = b - width;
            if (out >= from) {
                known -= r.total(out) - r.served(0, out);
                onCandidate -= candidate < 0 ? 0 : r.served(candidate, out);
            }
            if (b - from + 1 >= width && known > 0) {
                peak = Math.max(peak, onCandidate / (double) known);
            }
        }
        return peak < 0 ? null : peak;
    }

    static LatencyMs latency(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return LatencyMs.NONE;
        }
        return new LatencyMs(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
            ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)),
            ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : part / (double) whole;
    }

    private static Double seconds(Long from, Long to) {
        return from == null || to == null ? null : (to - from) / NANOS;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
