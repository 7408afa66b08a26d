package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * One rollback trigger of the analysis, e.g. "candidate error rate above 5% for 2s". Thresholds are stored in the
 * metric's natural unit: errorRate and healthCheckFailures as a share (written {@code 0.05} or {@code "5%"}),
 * latencies in milliseconds (written as a duration, {@code 500ms}), restarts as a count, throughputRatio as a ratio
 * to the pre-rollout baseline.
 *
 * @param metric      one of {@link #METRICS}
 * @param scope       whose requests or replicas: one of {@link #SCOPES}, default {@code candidate}
 * @param max         breaches above this; exactly one of {@code max} and {@code min} is set
 * @param min         breaches below this
 * @param forDuration YAML {@code for}: how long the breach must hold; {@code null} for one analysis interval
 * @param within      restarts only: the window restarts are counted over; {@code null} for since the rollout began
 */
public record Rule(String metric, String scope, Double max, Double min, Duration forDuration, Duration within) {
    public static final List<String> METRICS = List.of("errorRate", "latencyP50", "latencyP95", "latencyP99",
        "restarts", "healthCheckFailures", "throughputRatio");
    public static final List<String> SCOPES = List.of("candidate", "stable", "all");

    @JsonCreator
    static Rule fromYaml(@JsonProperty("metric") String metric, @JsonProperty("scope") String scope,
                         @JsonProperty("max") JsonNode max, @JsonProperty("min") JsonNode min,
                         @JsonProperty("for") Duration forDuration, @JsonProperty("within") Duration within) {
        return new Rule(metric, scope != null ? scope : "candidate", threshold(metric, "max", max),
            threshold(metric, "min", min), forDuration, within);
    }

    /** Reads a threshold in its metric's unit; an unknown metric's thresholds are left for validation to reject it. */
    private static Double threshold(String metric, String key, JsonNode node) {
        if (node == null || node.isNull() || !METRICS.contains(metric)) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new KeyError(key, "expected a threshold, got " + YamlDocument.describe(node));
        }
        if (metric.equals("restarts")) {
            if (node.isIntegralNumber() && node.asLong() >= 0) {
                return node.asDouble();
            }
            throw new KeyError(key, "restarts are bounded by a whole number >= 0, got " + YamlDocument.describe(node));
        }
        if (metric.equals("throughputRatio")) {
            if (node.isNumber() && node.asDouble() > 0) {
                return node.asDouble();
            }
            throw new KeyError(key, "throughputRatio is bounded by a ratio to the pre-rollout baseline above 0, "
                + "e.g. 0.9; got " + YamlDocument.describe(node));
        }
        try {
            return metric.startsWith("latency") ? Durations.parse(node.asText()).toNanos() / 1e6 : Shares.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw new KeyError(key, e.getMessage());
        }
    }
}
