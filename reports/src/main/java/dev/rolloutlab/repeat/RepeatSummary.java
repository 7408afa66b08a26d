package dev.rolloutlab.repeat;

import dev.rolloutlab.reports.RunDiff;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateMetrics;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of one scenario repeated ({@code run --repeat N}), as {@code repeat.json} holds it: each gate metric's
 * values with their median and its confidence interval, the outcome, and the scenario's gates checked on the medians.
 * One run on a shared machine can move p95 by a third; the median of several, with an interval saying how sure it
 * is, is what a CI gate can trust. Definitions: docs/metrics.md, "Repeats".
 *
 * @param kind     always {@value #KIND}: tells this file from a result.json
 * @param outcome  the outcome every run had; {@code mixed} when they differ ({@code outcomes} counts them),
 *                 {@code invalid} when a run's measurement was
 * @param outcomes how many runs ended with each outcome
 * @param gates    each gate of the scenario checked on its metric's median ({@code actual}); all failed with a
 *                 {@code reason} when a run's measurement was invalid
 * @param input    what the runs were asked to do (the first run's recorded input), null in older files
 */
public record RepeatSummary(int schemaVersion, String kind, String scenario, String strategy, String platform,
                            Instant startedAt, String outcome, Map<String, Integer> outcomes, List<RepeatedRun> runs,
                            Map<String, MetricSummary> metrics, List<GateResult> gates, RunInput input) {
    public static final int SCHEMA_VERSION = 1;
    public static final String KIND = "repeat";
    public static final String MIXED = "mixed";
    private static final String INVALID = "invalid";

    public RepeatSummary {
        outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
        runs = List.copyOf(runs);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        gates = List.copyOf(gates);
    }

    /**
     * @param results the runs, in order (at least one)
     * @param folders each run's folder, relative to the repeat's
     * @param gates   the scenario's gates, checked on the medians
     */
    public static RepeatSummary of(List<RunResult> results, List<String> folders, Map<String, Gate> gates) {
        RunResult first = results.get(0);
        List<RepeatedRun> runs = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < results.size(); i++) {
            RunResult r = results.get(i);
            runs.add(new RepeatedRun(folders.get(i), r.outcome(), r.startedAt()));
            outcomes.merge(r.outcome(), 1, Integer::sum);
        }
        Map<String, MetricSummary> metrics = new LinkedHashMap<>();
        for (String metric : GateMetrics.names()) {
            metrics.put(metric, MetricSummary.of(results.stream().map(r -> GateMetrics.value(metric, r)).toList()));
        }
        String outcome = outcomes.containsKey(INVALID) ? INVALID : outcomes.size() == 1 ? first.outcome() : MIXED;
        String invalid = invalidRuns(runs);
        List<GateResult> checked = new ArrayList<>();
        gates.forEach((metric, gate) -> {
            GateResult g = checkOnTheRuns(metric, gate, results, metrics);
            checked.add(invalid == null ? g : g.unmeasured(invalid));
        });
        return new RepeatSummary(SCHEMA_VERSION, KIND, first.scenario(), first.strategy(), first.platform(),
            first.startedAt(), outcome, outcomes, runs, metrics, checked, first.input());
    }

    /**
     * An outcome gate passes only when every run ended as it asks (the first run that did not is the one reported);
     * a metric's gate is checked on the median, and fails as a single run's does when no run had a value.
     */
    private static GateResult checkOnTheRuns(String metric, Gate gate, List<RunResult> results,
                                             Map<String, MetricSummary> metrics) {
        if (gate.onOutcome()) {
            List<GateResult> each = results.stream().map(r -> gate.check(metric, r)).toList();
            return each.stream().filter(g -> !g.passed()).findFirst().orElse(each.get(0));
        }
        MetricSummary summary = metrics.get(metric);
        Double median = summary == null ? null : summary.median();
        return median == null ? gate.check(metric, results.get(0))
            : new GateResult(metric, gate.max(), gate.min(), median, gate.within(median));
    }

    /** {@code run-2, run-4 invalid measurement}, or null when every run was measured. */
    private static String invalidRuns(List<RepeatedRun> runs) {
        List<String> invalid = runs.stream().filter(r -> INVALID.equals(r.outcome())).map(RepeatedRun::folder).toList();
        return invalid.isEmpty() ? null : String.join(", ", invalid) + ": invalid measurement (the generator could not "
            + "make it); no median of a repeat stands for the service while one of its runs does not";
    }

    public boolean gatesPassed() {
        return gates.stream().allMatch(GateResult::passed);
    }

    /** The runs' values of each metric, as one side of a {@link RunDiff}. */
    public RunDiff.Side side() {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        metrics.forEach((metric, m) -> values.put(metric, m.present()));
        return new RunDiff.Side(describe(), runs.size(), values, input());
    }

    /** {@code canary (canary, rolled-back, 5 runs, started 2026-11-22T10:00:00Z)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s, %s, %d runs, started %s)", scenario, strategy, outcome, runs.size(),
            startedAt == null ? "-" : startedAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
