package dev.rolloutlab.result;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One second of the run, {@code t} seconds after load start. Latencies are of successful requests.
 *
 * @param generatorLimited requests of the second the generator could not make on time; they are in no other field
 *                         (added field; 0 in older files)
 * @param latencyByVersion the same percentiles of each served version's successful requests of the second, so that
 *                         a candidate's latency is not averaged away by the stable's (added field; empty in older
 *                         files, and for a version without a successful request in the second)
 * @param failedByVersion  the second's failures by served version, {@code unknown} for those that reached none, as
 *                         {@code byVersion} counts requests: they add up to {@code failed} (added field; empty in
 *                         older files)
 * @param routedFailedByVersion of the {@code unknown} failures, those a proxy answered itself on the way to a
 *                         version, by that version: a version's error rate as the analysis scopes count it is
 *                         (failed + routed failed) / (requests + routed failed) (added field; empty in older files)
 */
public record TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion,
                            Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, long generatorLimited,
                            Map<String, VersionLatency> latencyByVersion, Map<String, Long> failedByVersion,
                            Map<String, Long> routedFailedByVersion) {
    public TimelinePoint {
        byVersion = Collections.unmodifiableMap(new TreeMap<>(byVersion));
        latencyByVersion = sorted(latencyByVersion);
        failedByVersion = sorted(failedByVersion);
        routedFailedByVersion = sorted(routedFailedByVersion);
    }

    /** A second without failures by version. */
    public TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion, Double p50Ms,
                         Double p95Ms, Double p99Ms, Double maxMs, long generatorLimited,
                         Map<String, VersionLatency> latencyByVersion) {
        this(t, requests, failed, byVersion, p50Ms, p95Ms, p99Ms, maxMs, generatorLimited, latencyByVersion, Map.of(),
            Map.of());
    }

    /** A second without per-version latencies. */
    public TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion, Double p50Ms,
                         Double p95Ms, Double p99Ms, Double maxMs, long generatorLimited) {
        this(t, requests, failed, byVersion, p50Ms, p95Ms, p99Ms, maxMs, generatorLimited, Map.of());
    }

    /** A second without generator-limited requests. */
    public TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion, Double p50Ms,
                         Double p95Ms, Double p99Ms, Double maxMs) {
        this(t, requests, failed, byVersion, p50Ms, p95Ms, p99Ms, maxMs, 0);
    }

    /** Whether {@code failedByVersion} accounts for every failure: false in files written before it. */
    public boolean failuresByVersionKnown() {
        return failedByVersion.values().stream().mapToLong(Long::longValue).sum() == failed;
    }

    private static <V> Map<String, V> sorted(Map<String, V> byVersion) {
        return byVersion == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(byVersion));
    }

    /** Latency percentiles of one version's successful requests in one second, in ms. */
    public record VersionLatency(double p50Ms, double p95Ms, double p99Ms) {
    }
}
