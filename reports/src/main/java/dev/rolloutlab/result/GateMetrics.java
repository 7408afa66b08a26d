package dev.rolloutlab.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The metrics a gate can name, each read from a {@link RunResult}, and why one has no value in a run. */
public final class GateMetrics {
    /** The gate on the run's outcome rather than a metric's value. */
    public static final String OUTCOME = "outcome";
    private static final Map<String, Function<RunResult, Number>> READERS = new LinkedHashMap<>();
    /**
     * What only a rollout fills: in a load-only run these have no value. {@code cellsExposed} is also a rollout's, but
     * of a cell-based one only.
     */
    private static final Set<String> ROLLOUT = Set.of("rollbackSeconds", "rollbackCompleteSeconds",
        "detectionSeconds", "deploymentSeconds", "candidateRequestShare", "peakCandidateShare", "failedRequestShare",
        "affectedUserShare", "cellsExposed", "peakReplicas", "resourceOverhead");
    /**
     * The metrics a gate can judge while the run goes on ({@code abortOnFail}), from what was measured so far:
     * the error rate and failures of the requests completed so far, the outages that have ended, the latency of the
     * seconds summarised so far. The rest is known only at the end (a rollback's, the blast radius, the rate).
     */
    private static final Set<String> LIVE = new LinkedHashSet<>(List.of("failedRequests", "errorRate",
        "downtimeSeconds", "longestOutageSeconds", "latencyP50Ms", "latencyP90Ms", "latencyP95Ms", "latencyP99Ms",
        "latencyP999Ms", "latencyMaxMs"));

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

    /** The metrics a gate can bound with max and min, in the order reports list them. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(READERS.keySet());
    }

    /** Every name a gate can take: the metrics and {@value #OUTCOME}. */
    public static List<String> gateNames() {
        List<String> all = new ArrayList<>(READERS.keySet());
        all.add(OUTCOME);
        return all;
    }

    /** The metrics a gate can judge while the run goes on, for {@code abortOnFail}. */
    public static Set<String> live() {
        return Collections.unmodifiableSet(LIVE);
    }

    /**
     * Why {@code metric} has no value in the run, as a CI reader needs it ("no value because ..."): said from what the
     * run did, since {@code null} alone reads as a pass.
     */
    public static String missingBecause(String metric, RunResult run) {
        Milestones ms = run.milestones();
        if (metric.startsWith("latency")) {
            return "no request succeeded";
        }
        if (!ROLLOUT.contains(metric)) {
            return "the run did not measure it";
        }
        if ("none".equals(run.strategy())) {
            return "load-only run: nothing was rolled out";
        }
        if (ms.start() == null) {
            return "the rollout did not start";
        }
        return switch (metric) {
            case "rollbackSeconds" -> ms.decision() == null ? "no rollback happened" : "the run did not measure it";
            case "rollbackCompleteSeconds" -> ms.decision() == null ? "no rollback happened"
                : "the rollback had not completed when the load ended";
            case "detectionSeconds" -> ms.decision() == null ? "no rollback happened"
                : "nothing was seen failing before the rollback decision (e.g. a scripted rollback)";
            case "deploymentSeconds" -> ms.failed() != null ? "the rollout failed"
                : "the rollout had not completed when the load ended";
            case "cellsExposed" -> "not a cell-based strategy";
            case "peakReplicas", "resourceOverhead" -> "the platform reported no replicas";
            default -> "no request with a known version during the rollout";
        };
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
