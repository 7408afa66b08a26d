package dev.rolloutlab.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds results for tests from the records, starting from a realistic run and changing what a test needs. */
public final class TestRuns {
    public String scenario = "canary-bad-release";
    public String strategy = "canary";
    public String outcome = "rolled-back";
    public Metrics metrics = new Metrics(60000, 120, 0.002, 1.52, 1.52, 2.0, 0.42, 1.3, 2.1, 14.2,
        new BlastRadius(0.03, 0.1, 0.004, 0.08, null, null), 11, 10, 0.1,
        new LatencyMs(1.2, 2.0, 2.6, 5.1, 9.0, 30.2), Map.of("v1", 58200L, "v2", 1800L),
        new FailuresByCause(0, 0, 0, 120, 0, 0), true);
    public GeneratorStats generator = new GeneratorStats(1000, 999.8, 0.9, false, 0);
    public List<Event> events = new ArrayList<>(List.of(
        new Event(0, "load-start", Map.of("rate", 1000)),
        new Event(10, "rollout-start", detail("strategy", "canary", "from", "v1", "to", "v2")),
        new Event(10.5, "replica-started", Map.of("pod", "v2-1")),
        new Event(12.1, "analysis-failed", detail("rule", "errorRate of candidate > 0.05 for 2s", "value", 0.5)),
        new Event(12.1, "rollback", detail("reason", "analysis failed", "afterPromotion", false)),
        new Event(13.4, "rollback-complete", Map.of()),
        new Event(60, "load-end", Map.of())));
    public List<GateResult> gates = new ArrayList<>(List.of(
        new GateResult("downtimeSeconds", 0.0, null, 1.52, false),
        new GateResult("rollbackSeconds", 1.0, null, 0.42, true)));

    /** A run with the metrics of a load-only baseline: no strategy, no rollout metrics, no gates. */
    public static TestRuns loadOnly() {
        TestRuns t = new TestRuns();
        t.scenario = "baseline";
        t.strategy = "none";
        t.outcome = "completed";
        t.metrics = new Metrics(60000, 0, 0, 0, 0, 0, null, null, null, null, BlastRadius.NONE, null, null, null,
            new LatencyMs(1.1, 1.9, 2.4, 4.0, 8.0, 20.0), Map.of("v1", 60000L), new FailuresByCause(0, 0, 0, 0, 0, 0),
            null);
        t.events = new ArrayList<>(List.of(new Event(0, "load-start", Map.of()), new Event(60, "load-end", Map.of())));
        t.gates = new ArrayList<>();
        return t;
    }

    /** Event details in the order given, as the engine records them. */
    public static Map<String, Object> detail(Object... keysAndValues) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }

    public RunResult build() {
        return new RunResult(RunResult.SCHEMA_VERSION, scenario, strategy, "local",
            Instant.parse("2026-11-22T10:00:00.250Z"), outcome, metrics, generator, events,
            List.of(new TimelinePoint(0, 1000, 0, Map.of("v1", 1000L), 1.1, 2.4, 4.0, 9.0)), gates, List.of());
    }
}
