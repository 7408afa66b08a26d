package dev.rolloutlab.reports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** One second of the run, {@code t} seconds after load start. Latencies are of successful requests. */
public record TimelinePoint(double t, long requests, long failed, Map<String, Long> byVersion,
                            Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {
    public TimelinePoint {
        byVersion = Collections.unmodifiableMap(new TreeMap<>(byVersion));
    }
}
