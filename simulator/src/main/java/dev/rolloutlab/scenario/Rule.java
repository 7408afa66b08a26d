package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One rollback trigger of the analysis, e.g. "candidate error rate above 5% for 2s". Thresholds are stored in the
 * metric's natural unit ({@link RuleMetric.Threshold}): errorRate and healthCheckFailures as a share (written
 * {@code 0.05} or {@code "5%"}), latencies in milliseconds (written {@code latencyP95Ms: 500}, or as a duration,
 * {@code 500ms}), restarts as a count, throughputRatio as a ratio to the pre-rollout baseline.
 *
 * @param metric      one of {@link #METRICS} (the analysis' name of a {@link RuleMetric}), or as written when no
 *                    rule watches it, for validation to report
 * @param scope       whose requests or replicas: one of {@link #SCOPES}, default {@code candidate}
 * @param max         breaches above this; exactly one of {@code max} and {@code min} is set
 * @param min         breaches below this
 * @param forDuration YAML {@code for}: how long the breach must hold; {@code null} for one analysis interval
 * @param within      restarts only: the window restarts are counted over; {@code null} for since the rollout began
 */
public record Rule(String metric, String scope, Double max, Double min, Duration forDuration, Duration within) {
    public static final List<String> METRICS = Arrays.stream(RuleMetric.values()).map(RuleMetric::id).toList();
    public static final List<String> SCOPES = List.of("candidate", "stable", "all");

    @JsonCreator
    static Rule fromYaml(@JsonProperty("metric") String metric, @JsonProperty("scope") String scope,
                         @JsonProperty("max") JsonNode max, @JsonProperty("min") JsonNode min,
                         @JsonProperty("for") Duration forDuration, @JsonProperty("within") Duration within) {
        RuleMetric watched = RuleMetric.fromYaml(metric).orElse(null);
        return new Rule(watched != null ? watched.id() : metric, scope != null ? scope : "candidate",
            threshold(watched, metric, "max", max), threshold(watched, metric, "min", min), forDuration, within);
    }

    /** Reads a threshold in its metric's unit; an unknown metric's thresholds are left for validation to reject it. */
    private static Double threshold(RuleMetric watched, String written, String key, JsonNode node) {
        if (node == null || node.isNull() || watched == null) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new KeyError(key, "expected a threshold, got " + YamlDocument.describe(node));
        }
        try {
            return watched.read(written, node);
        } catch (IllegalArgumentException e) {
            throw new KeyError(key, e.getMessage());
        }
    }
}
