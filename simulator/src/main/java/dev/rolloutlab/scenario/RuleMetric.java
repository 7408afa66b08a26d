package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolloutlab.result.GateMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The metrics an analysis rule watches, each with one name for files to write: where a gate bounds the same figure,
 * the gate's (and result.json's) name and unit, so a rule and a gate on one metric read alike
 * ({@code latencyP95Ms}, in milliseconds, a number or a duration). The spelling rules had before (a latency as
 * {@code latencyP95} with a duration) still reads.
 */
public enum RuleMetric {
    ERROR_RATE("errorRate", "errorRate", Threshold.SHARE),
    LATENCY_P50("latencyP50Ms", "latencyP50", Threshold.MILLISECONDS),
    LATENCY_P95("latencyP95Ms", "latencyP95", Threshold.MILLISECONDS),
    LATENCY_P99("latencyP99Ms", "latencyP99", Threshold.MILLISECONDS),
    RESTARTS("restarts", "restarts", Threshold.COUNT),
    HEALTH_CHECK_FAILURES("healthCheckFailures", "healthCheckFailures", Threshold.SHARE),
    THROUGHPUT_RATIO("throughputRatio", "throughputRatio", Threshold.RATIO);

    /** How a threshold of the metric is written, and the unit {@link Rule} stores it in. */
    public enum Threshold {
        /** A share: {@code 0.05} or {@code "5%"}. */
        SHARE,
        /** Milliseconds: a number ({@code 500}) under the canonical name, a duration ({@code 500ms}) under either. */
        MILLISECONDS,
        /** A whole number of events, at least 0. */
        COUNT,
        /** A ratio to the pre-rollout baseline, above 0 (e.g. {@code 0.9}). */
        RATIO
    }

    private final String yamlName;
    private final String id;
    private final Threshold threshold;

    RuleMetric(String yamlName, String id, Threshold threshold) {
        this.yamlName = yamlName;
        this.id = id;
        this.threshold = threshold;
    }

    /** The canonical name, the one documented and suggested in messages. */
    public String yamlName() {
        return yamlName;
    }

    /** The name {@link Rule#metric()} holds and the analysis knows the metric by (one of {@link Rule#METRICS}). */
    public String id() {
        return id;
    }

    public Threshold threshold() {
        return threshold;
    }

    /** The names a file may write: the canonical one, then the older spelling where there is one. */
    public List<String> spellings() {
        return yamlName.equals(id) ? List.of(yamlName) : List.of(yamlName, id);
    }

    /** The metric a file's {@code metric:} names, under either spelling. */
    public static Optional<RuleMetric> fromYaml(String name) {
        return Arrays.stream(values()).filter(m -> m.spellings().contains(name)).findFirst();
    }

    /** The canonical names, for messages. */
    static String known() {
        return Arrays.stream(values()).map(RuleMetric::yamlName).collect(Collectors.joining(", "));
    }

    /** The message for a name no rule watches, listing the canonical names. */
    static String unknown(String name) {
        return "unknown metric \"" + name + "\" " + (GateMetrics.names().contains(name)
            ? "(a gate can bound it, a rule cannot watch it; rules watch: " + known() + ")" : "(known: " + known() + ")");
    }

    /**
     * Reads a threshold in the metric's unit.
     *
     * @param written the name the file wrote, which decides whether a latency may be a bare number
     * @throws IllegalArgumentException saying what the threshold should look like
     */
    double read(String written, JsonNode node) {
        return switch (threshold) {
            case COUNT -> {
                if (node.isIntegralNumber() && node.asLong() >= 0) {
                    yield node.asDouble();
                }
                throw new IllegalArgumentException("restarts are bounded by a whole number >= 0, got "
                    + YamlDocument.describe(node));
            }
            case RATIO -> {
                if (node.isNumber() && node.asDouble() > 0) {
                    yield node.asDouble();
                }
                throw new IllegalArgumentException(yamlName + " is bounded by a ratio to the pre-rollout baseline "
                    + "above 0, e.g. 0.9; got " + YamlDocument.describe(node));
            }
            case SHARE -> Shares.parse(node.asText());
            case MILLISECONDS -> milliseconds(written, node);
        };
    }

    private double milliseconds(String written, JsonNode node) {
        if (node.isNumber() && written.equals(yamlName)) {
            if (node.asDouble() >= 0) {
                return node.asDouble();
            }
            throw new IllegalArgumentException(yamlName + " is bounded by milliseconds >= 0, got " + node.asText());
        }
        try {
            return Durations.parse(node.asText()).toNanos() / 1e6;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + (node.isNumber()
                ? "; or write metric: " + yamlName + " to give the bound in milliseconds as a number" : ""));
        }
    }
}
