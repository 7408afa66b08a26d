package dev.rolloutlab.reports;

import java.time.Instant;
import java.util.List;

/**
 * One run, as {@code result.json} (schema version {@value #SCHEMA_VERSION}) holds it. Field names are a
 * contract read by other tools: add fields freely, never rename or remove one without a version bump.
 *
 * @param outcome {@code promoted | rolled-back | failed | aborted}, or {@code completed} for a load-only run
 */
public record RunResult(
    int schemaVersion,
    String scenario,
    String strategy,
    String platform,
    Instant startedAt,
    String outcome,
    Metrics metrics,
    GeneratorStats generator,
    List<Event> events,
    List<TimelinePoint> timeline,
    List<GateResult> gates) {

    public static final int SCHEMA_VERSION = 1;

    public RunResult {
        events = List.copyOf(events);
        timeline = List.copyOf(timeline);
        gates = List.copyOf(gates);
    }

    public boolean gatesPassed() {
        return gates.stream().allMatch(GateResult::passed);
    }
}
