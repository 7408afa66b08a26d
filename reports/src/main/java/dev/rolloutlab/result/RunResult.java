package dev.rolloutlab.result;

import java.time.Instant;
import java.util.List;

/**
 * One run, as {@code result.json} (schema version {@value #SCHEMA_VERSION}) holds it. Field names are a
 * contract read by other tools: add fields freely, never rename or remove one without a version bump.
 *
 * @param outcome {@code promoted | rolled-back | failed | aborted | incomplete}, or {@code completed} for a load-only
 *                run
 * @param outages    every full outage (added field; the first 10,000 of a run), unmeasurable ones included
 * @param milestones when the rollout reached each milestone (added field; read from the events in older files)
 * @param input      the scenario after {@code --set} and the command line (added field; null in older files and for
 *                   results built without a command line)
 * @param claims     what the scenario's source claims for its approach ({@code claims:} in the scenario), printed by
 *                   {@code compare} beside the measurements; null when the scenario declares none (added field)
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
    List<GateResult> gates,
    List<Outage> outages,
    Milestones milestones,
    RunInput input,
    Claims claims) {

    public static final int SCHEMA_VERSION = 1;

    public RunResult {
        events = List.copyOf(events);
        timeline = List.copyOf(timeline);
        gates = List.copyOf(gates);
        outages = outages == null ? List.of() : List.copyOf(outages);
        milestones = milestones != null ? milestones : Milestones.fromEvents(events, metrics);
    }

    /** A run without a recorded input or claims. */
    public RunResult(int schemaVersion, String scenario, String strategy, String platform, Instant startedAt,
                     String outcome, Metrics metrics, GeneratorStats generator, List<Event> events,
                     List<TimelinePoint> timeline, List<GateResult> gates, List<Outage> outages,
                     Milestones milestones) {
        this(schemaVersion, scenario, strategy, platform, startedAt, outcome, metrics, generator, events, timeline,
            gates, outages, milestones, null, null);
    }

    /** A run without a recorded input. */
    public RunResult(int schemaVersion, String scenario, String strategy, String platform, Instant startedAt,
                     String outcome, Metrics metrics, GeneratorStats generator, List<Event> events,
                     List<TimelinePoint> timeline, List<GateResult> gates, List<Outage> outages,
                     Milestones milestones, Claims claims) {
        this(schemaVersion, scenario, strategy, platform, startedAt, outcome, metrics, generator, events, timeline,
            gates, outages, milestones, null, claims);
    }

    /** A run whose milestones are read from its events. */
    public RunResult(int schemaVersion, String scenario, String strategy, String platform, Instant startedAt,
                     String outcome, Metrics metrics, GeneratorStats generator, List<Event> events,
                     List<TimelinePoint> timeline, List<GateResult> gates, List<Outage> outages) {
        this(schemaVersion, scenario, strategy, platform, startedAt, outcome, metrics, generator, events, timeline,
            gates, outages, null, null, null);
    }

    /** The same run with its gates checked. */
    public RunResult withGates(List<GateResult> checked) {
        return withGates(checked, outcome);
    }

    /** The same run with its gates checked and the outcome they gave it (a gate that stopped the run). */
    public RunResult withGates(List<GateResult> checked, String newOutcome) {
        return new RunResult(schemaVersion, scenario, strategy, platform, startedAt, newOutcome, metrics, generator,
            events, timeline, checked, outages, milestones, input, claims);
    }

    /** The same run with what it was asked to do. */
    public RunResult withInput(RunInput runInput) {
        return new RunResult(schemaVersion, scenario, strategy, platform, startedAt, outcome, metrics, generator,
            events, timeline, gates, outages, milestones, runInput, claims);
    }

    /** The outages that count in {@code downtimeSeconds}: the unmeasurable ones left out. */
    public List<Outage> measuredOutages() {
        return outages.stream().filter(o -> !o.unmeasurable()).toList();
    }

    public boolean gatesPassed() {
        return gates.stream().allMatch(GateResult::passed);
    }
}
