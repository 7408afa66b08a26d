package dev.rolloutlab.result;

/** Latency of successful requests in milliseconds, from intended send time to the end of the response. */
public record LatencyMs(Double p50, Double p90, Double p95, Double p99, Double p999, Double max) {
    public static final LatencyMs NONE = new LatencyMs(null, null, null, null, null, null);
}
