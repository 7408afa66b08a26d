package dev.rolloutlab.result;

/**
 * The requests of one kind of a load's request mix over the whole run: answered or failed (generator-limited ones
 * excluded), and the latency in milliseconds of its successful requests ({@code null} without one), as
 * {@link LatencyMs} measures it.
 */
public record RequestsOfName(long requests, long failed, Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {
}
