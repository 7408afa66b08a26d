package dev.rolloutlab.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * A bound a scenario puts on one metric, {@code gates: {downtimeSeconds: {max: 0}}}, or on the outcome,
 * {@code gates: {outcome: {in: [rolled-back]}}}.
 *
 * @param in          outcome gates: the outcomes that pass; null for any
 * @param notIn       outcome gates: the outcomes that fail; null for none
 * @param ifMissing   what a metric without a value in the run (e.g. {@code rollbackSeconds} when nothing was rolled
 *                    back) makes of the gate: {@link IfMissing#FAIL} unless the scenario opts out, since a gate that
 *                    passes on nothing is a CI check that checks nothing
 * @param abortOnFail stop the run as soon as the metric breaches {@code max} while running (as k6's thresholds'
 *                    {@code abortOnFail}); only for {@link GateMetrics#live() metrics known while running}
 */
public record Gate(Double max, Double min, List<RunOutcome> in, List<RunOutcome> notIn, IfMissing ifMissing,
                   boolean abortOnFail) {

    /** What a gate makes of a metric that has no value in the run. */
    public enum IfMissing {
        FAIL("fail"),
        PASS("pass");

        private final String key;

        IfMissing(String key) {
            this.key = key;
        }

        @JsonValue
        public String key() {
            return key;
        }

        /** @throws IllegalArgumentException naming the choices */
        @JsonCreator
        public static IfMissing fromKey(String key) {
            return Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("expected fail or pass, got \"" + key + "\""));
        }
    }

    public Gate {
        if (max == null && min == null && in == null && notIn == null) {
            throw new IllegalArgumentException("a gate needs a bound: max and/or min (in and/or notIn on outcome)");
        }
        in = in == null ? null : List.copyOf(in);
        notIn = notIn == null ? null : List.copyOf(notIn);
        ifMissing = ifMissing == null ? IfMissing.FAIL : ifMissing;
    }

    /** A bound on a metric's value, failing when the metric has none. */
    public Gate(Double max, Double min) {
        this(max, min, null, null, IfMissing.FAIL, false);
    }

    /** An outcome gate: passes when the run's outcome is in {@code in} (null: any) and not in {@code notIn}. */
    public static Gate outcome(List<RunOutcome> in, List<RunOutcome> notIn) {
        return new Gate(null, null, in, notIn, IfMissing.FAIL, false);
    }

    /** Whether this gate bounds the outcome rather than a metric's value. */
    public boolean onOutcome() {
        return in != null || notIn != null;
    }

    /** Checks the gate named {@code name} ({@link GateMetrics#OUTCOME} or a metric) against the run. */
    public GateResult check(String name, RunResult run) {
        if (GateMetrics.OUTCOME.equals(name)) {
            boolean passed = (in == null || in.stream().anyMatch(o -> o.is(run.outcome())))
                && (notIn == null || notIn.stream().noneMatch(o -> o.is(run.outcome())));
            return GateResult.onOutcome(keys(in), keys(notIn), run.outcome(), passed);
        }
        Double actual = GateMetrics.value(name, run);
        if (actual == null) {
            return new GateResult(name, max, min, null, ifMissing == IfMissing.PASS,
                "no value because " + GateMetrics.missingBecause(name, run)
                    + (ifMissing == IfMissing.PASS ? " (ifMissing: pass)" : ""));
        }
        if (name.equals("rollbackSeconds") && Boolean.FALSE.equals(run.metrics().trafficRestored())) {
            // Traffic never came back before the run ended: the value is only a lower bound, so no bound is met.
            return new GateResult(name, max, min, actual, false,
                "traffic was not restored before the run ended: " + actual + " s is a lower bound");
        }
        return new GateResult(name, max, min, actual, within(actual));
    }

    /** Whether a value lies within the bounds. */
    public boolean within(double value) {
        return (max == null || value <= max) && (min == null || value >= min);
    }

    private static List<String> keys(List<RunOutcome> outcomes) {
        return outcomes == null ? null : outcomes.stream().map(RunOutcome::key).toList();
    }
}
