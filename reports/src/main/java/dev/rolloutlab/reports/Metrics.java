package dev.rolloutlab.reports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What users of the service felt during one run. Definitions: {@code docs/metrics.md}. Metrics that only a
 * strategy run can fill (rollback, detection, deployment, blast radius, replicas) are {@code null} otherwise.
 *
 * @param trafficRestored after a rollback: whether traffic was restored before the run ended (when not,
 *                        {@code rollbackSeconds} runs to the end of the run and is a lower bound); null without one
 */
public record Metrics(
    long requests,
    long failedRequests,
    double errorRate,
    double downtimeSeconds,
    double longestOutageSeconds,
    double degradedSeconds,
    Double rollbackSeconds,
    Double rollbackCompleteSeconds,
    Double detectionSeconds,
    Double deploymentSeconds,
    BlastRadius blastRadius,
    Integer peakReplicas,
    Integer baselineReplicas,
    Double resourceOverhead,
    LatencyMs latencyMs,
    Map<String, Long> requestsByVersion,
    FailuresByCause failuresByCause,
    Boolean trafficRestored) {

    public Metrics {
        requestsByVersion = Collections.unmodifiableMap(new TreeMap<>(requestsByVersion));
    }
}
