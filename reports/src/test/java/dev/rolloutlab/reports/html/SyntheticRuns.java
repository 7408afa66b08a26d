package dev.rolloutlab.reports.html;

import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Outage;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TimelinePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canary run of any length at 1000 requests/s: rollout at 10 s, a 1.5 s outage at 20 s, an analysis rollback at
 * 30 s, and, as long runs have, an event every 3 s (weight changes and replica churn).
 */
final class SyntheticRuns {
    static final double OUTAGE_START = 20.25;
    static final double ROLLBACK = 30.0;

    private SyntheticRuns() {
    }

    static RunResult canary(String scenario, int seconds) {
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            events.add(new Event(-2, "replica-started", detail("pod", "v1-" + i, "version", "v1")));
            events.add(new Event(-1.5, "replica-ready", detail("pod", "v1-" + i, "version", "v1")));
        }
        events.add(new Event(0, "load-start", detail("rate", 1000.0)));
        events.add(new Event(10, "rollout-start", detail("strategy", "canary", "from", "v1", "to", "v2")));
        events.add(new Event(10, "scale", detail("set", "v2", "replicas", 1)));
        events.add(new Event(10.2, "replica-ready", detail("pod", "v2-1", "version", "v2")));
        events.add(new Event(11, "set-weight", detail("weight", 20)));
        events.add(new Event(OUTAGE_START, "fault-start", detail("type", "outage", "target", "all", "duration", 1.5)));
        events.add(new Event(OUTAGE_START + 1.5, "fault-end", detail("type", "outage")));
        events.add(new Event(29, "analysis-failed", detail("rule", "errorRate of candidate > 0.05", "value", 1.0)));
        events.add(new Event(ROLLBACK, "rollback", detail("reason", "analysis failed", "afterPromotion", false)));
        events.add(new Event(ROLLBACK, "set-weight", detail("weight", 0)));
        events.add(new Event(32, "replica-terminated", detail("pod", "v2-1", "version", "v2", "reason", "deleted")));
        events.add(new Event(32, "rollback-complete", Map.of()));
        for (int t = 33; t < seconds - 1; t += 3) {
            events.add(t % 2 == 0 ? new Event(t, "set-weight", detail("weight", 0))
                : new Event(t + 0.5, "replica-not-ready", detail("pod", "v1-1", "version", "v1")));
            events.add(new Event(t + 1, "replica-ready", detail("pod", "v1-1", "version", "v1")));
        }
        events.add(new Event(seconds, "load-end", Map.of()));
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int t = 0; t < seconds; t++) {
            boolean out = t >= 20 && t <= 21;
            long failed = out ? 750 : t >= 11 && t < 30 ? 200 : 0;
            long candidate = t >= 11 && t < 30 && !out ? 200 : 0;
            Map<String, Long> by = new LinkedHashMap<>();
            by.put("v1", 1000 - candidate - (out ? failed : 0));
            if (candidate > 0) {
                by.put("v2", candidate);
            }
            if (out) {
                by.put("unknown", failed);
            }
            double wobble = (t % 7) / 10.0;
            timeline.add(new TimelinePoint(t, 1000, failed, by, 0.8 + wobble, 2.1 + wobble, 4.5 + wobble, 9.0));
        }
        Metrics m = new Metrics(1000L * seconds, 5300, 5300.0 / (1000 * seconds), 1.5, 1.5, 21, 0.4, 2.0, 18.0,
            22.0, new BlastRadius(0.15, 0.2, 0.2, 0.35, null, null), 5, 4, 0.25,
            new LatencyMs(0.9, 1.8, 2.2, 4.8, 8.0, 30.0), Map.of("v1", 1000L * seconds - 5300, "v2", 3600L,
            "unknown", 1500L), new FailuresByCause(1500, 0, 0, 3800, 0, 0), true);
        return new RunResult(RunResult.SCHEMA_VERSION, scenario, "canary", "local",
            Instant.parse("2026-11-22T10:00:00Z"), "rolled-back", m, new GeneratorStats(1000, 999.9, 1.2, false, 0),
            events, timeline, List.of(new GateResult("downtimeSeconds", 0.0, null, 1.5, false),
            new GateResult("rollbackSeconds", 1.0, null, 0.4, true)),
            List.of(new Outage(OUTAGE_START, OUTAGE_START + 1.5)));
    }

    static Map<String, Object> detail(Object... keysAndValues) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }
}
