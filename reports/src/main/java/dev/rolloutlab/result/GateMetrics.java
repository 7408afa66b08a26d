package dev.rolloutlab.result;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The metrics a gate can name, each read from a {@link RunResult}. */
public final class GateMetrics {
    private static final Map<String, Function<RunResult, Number>> READERS = new LinkedHashMap<>();

    static {
        READERS.put("requests", r -> r.metrics().requests());
        READERS.put("failedRequests", r -> r.metrics().failedRequests());
        READERS.put("errorRate", r -> r.metrics().errorRate());
        READERS.put("downtimeSeconds", r -> r.metrics().downtimeSeconds());
        READERS.put("longestOutageSeconds", r -> r.metrics().longestOutageSeconds());
        READERS.put("degradedSeconds", r -> r.metrics().degradedSeconds());
        READERS.put("rollbackSeconds", r -> r.metrics().rollbackSeconds());
        READERS.put("rollbackCompleteSeconds", r -> r.metrics().rollbackCompleteSeconds());
        READERS.put("detectionSeconds", r -> r.metrics().detectionSeconds());
        READERS.put("deploymentSeconds", r -> r.metrics().deploymentSeconds());
        READERS.put("candidateRequestShare", r -> r.metrics().blastRadius().candidateRequestShare());
        READERS.put("peakCandidateShare", r -> r.metrics().blastRadius().peakCandidateShare());
        READERS.put("failedRequestShare", r -> r.metrics().blastRadius().failedRequestShare());
        READERS.put("affectedUserShare", r -> r.metrics().blastRadius().affectedUserShare());
        READERS.put("cellsExposed", r -> r.metrics().blastRadius().cellsExposed());
        READERS.put("peakReplicas", r -> r.metrics().peakReplicas());
        READERS.put("resourceOverhead", r -> r.metrics().resourceOverhead());
        READERS.put("latencyP50Ms", r -> r.metrics().latencyMs().p50());
        READERS.put("latencyP90Ms", r -> r.metrics().latencyMs().p90());
        READERS.put("latencyP95Ms", r -> r.metrics().latencyMs().p95());
        READERS.put("latencyP99Ms", r -> r.metrics().latencyMs().p99());
        READERS.put("latencyP999Ms", r -> r.metrics().latencyMs().p999());
        READERS.put("latencyMaxMs", r -> r.metrics().latencyMs().max());
        READERS.put("achievedRate", r -> r.generator().achievedRate());
    }

    private GateMetrics() {
    }

    public static Set<String> names() {
        return READERS.keySet();
    }

    /** @return the metric's value in the run, {@code null} when it does not apply to the run */
    public static Double value(String metric, RunResult result) {
        Function<RunResult, Number> reader = READERS.get(metric);
        if (reader == null) {
            throw new IllegalArgumentException("unknown gate metric '" + metric + "' (known: " + names() + ")");
        }
        Number n = reader.apply(result);
        return n == null ? null : n.doubleValue();
    }
}
