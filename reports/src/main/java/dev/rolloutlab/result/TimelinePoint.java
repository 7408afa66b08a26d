package dev.rolloutlab.result;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One second of the run, {@code t} seconds after load start. Latencies are of successful requests.
 *
 * @param generatorLimited requests of the second the generator could not make on time; they are in no other field
 *                         (added field; 0 in older files)
 */
public record TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion,
                            Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, long generatorLimited) {
    public TimelinePoint {
        byVersion = Collections.unmodifiableMap(new TreeMap<>(byVersion));
    }

    /** A second without generator-limited requests. */
    public TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion, Double p50Ms,
                         Double p95Ms, Double p99Ms, Double maxMs) {
        this(t, requests, failed, byVersion, p50Ms, p95Ms, p99Ms, maxMs, 0);
    }
}
