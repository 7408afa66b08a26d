package dev.rolloutlab.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What users of the service felt during one run. Definitions: {@code docs/metrics.md}. Metrics that only a
 * strategy run can fill (rollback, detection, deployment, blast radius, replicas) are {@code null} otherwise.
 *
 * @param trafficRestored     after a rollback: whether traffic was restored before the run ended (when not,
 *                            {@code rollbackSeconds} runs to the end of the run and is a lower bound); null without
 *                            one
 * @param unmeasurableOutages full outages that touched requests the generator could not make: their length is
 *                            unknown, so they are in neither {@code downtimeSeconds} nor {@code longestOutageSeconds}
 *                            (added field; 0 in older files)
 * @param generatorLimited    requests the generator could not make on time (added field; null in older files)
 * @param failuresByRoutedVersion failures that reached no version, by the version the local proxy had routed them to
 *                            (its own 502/503s), as a mesh labels them with their destination (added field; empty in
 *                            older files and on platforms without a proxy that says)
 * @param exposure            the blast radius over the whole exposure, rollout start to the end of the run, so harm
 *                            after a promotion shows ({@code blastRadius} is during the rollout only); added field,
 *                            null in older files and without a rollout
 * @param requestsByName      by name of the kind of request of the load's mix, in the mix's order; a load without a
 *                            mix has the one kind {@code default} (added field; empty in older files)
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
    Boolean trafficRestored,
    long unmeasurableOutages,
    GeneratorLimited generatorLimited,
    Map<String, Long> failuresByRoutedVersion,
    BlastRadius exposure,
    Map<String, RequestsOfName> requestsByName) {

    public Metrics {
        requestsByName = requestsByName == null ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(requestsByName));
        requestsByVersion = Collections.unmodifiableMap(new TreeMap<>(requestsByVersion));
        failuresByRoutedVersion = failuresByRoutedVersion == null ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(failuresByRoutedVersion));
    }

    /** The fields of the first schema-1 release: no unmeasurable outage, generator limits not accounted. */
    public Metrics(long requests, long failedRequests, double errorRate, double downtimeSeconds,
                   double longestOutageSeconds, double degradedSeconds, Double rollbackSeconds,
                   Double rollbackCompleteSeconds, Double detectionSeconds, Double deploymentSeconds,
                   BlastRadius blastRadius, Integer peakReplicas, Integer baselineReplicas, Double resourceOverhead,
                   LatencyMs latencyMs, Map<String, Long> requestsByVersion, FailuresByCause failuresByCause,
                   Boolean trafficRestored) {
        this(requests, failedRequests, errorRate, downtimeSeconds, longestOutageSeconds, degradedSeconds,
            rollbackSeconds, rollbackCompleteSeconds, detectionSeconds, deploymentSeconds, blastRadius, peakReplicas,
            baselineReplicas, resourceOverhead, latencyMs, requestsByVersion, failuresByCause, trafficRestored, 0,
            null, Map.of(), null);
    }

    /** The fields before {@code exposure}. */
    public Metrics(long requests, long failedRequests, double errorRate, double downtimeSeconds,
                   double longestOutageSeconds, double degradedSeconds, Double rollbackSeconds,
                   Double rollbackCompleteSeconds, Double detectionSeconds, Double deploymentSeconds,
                   BlastRadius blastRadius, Integer peakReplicas, Integer baselineReplicas, Double resourceOverhead,
                   LatencyMs latencyMs, Map<String, Long> requestsByVersion, FailuresByCause failuresByCause,
                   Boolean trafficRestored, long unmeasurableOutages, GeneratorLimited generatorLimited,
                   Map<String, Long> failuresByRoutedVersion) {
        this(requests, failedRequests, errorRate, downtimeSeconds, longestOutageSeconds, degradedSeconds,
            rollbackSeconds, rollbackCompleteSeconds, detectionSeconds, deploymentSeconds, blastRadius, peakReplicas,
            baselineReplicas, resourceOverhead, latencyMs, requestsByVersion, failuresByCause, trafficRestored,
            unmeasurableOutages, generatorLimited, failuresByRoutedVersion, null);
    }

    /** The fields before {@code requestsByName}. */
    public Metrics(long requests, long failedRequests, double errorRate, double downtimeSeconds,
                   double longestOutageSeconds, double degradedSeconds, Double rollbackSeconds,
                   Double rollbackCompleteSeconds, Double detectionSeconds, Double deploymentSeconds,
                   BlastRadius blastRadius, Integer peakReplicas, Integer baselineReplicas, Double resourceOverhead,
                   LatencyMs latencyMs, Map<String, Long> requestsByVersion, FailuresByCause failuresByCause,
                   Boolean trafficRestored, long unmeasurableOutages, GeneratorLimited generatorLimited,
                   Map<String, Long> failuresByRoutedVersion, BlastRadius exposure) {
        this(requests, failedRequests, errorRate, downtimeSeconds, longestOutageSeconds, degradedSeconds,
            rollbackSeconds, rollbackCompleteSeconds, detectionSeconds, deploymentSeconds, blastRadius, peakReplicas,
            baselineReplicas, resourceOverhead, latencyMs, requestsByVersion, failuresByCause, trafficRestored,
            unmeasurableOutages, generatorLimited, failuresByRoutedVersion, exposure, Map.of());
    }
}
