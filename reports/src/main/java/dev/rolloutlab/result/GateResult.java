package dev.rolloutlab.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One gate checked against the run: passed when {@code actual} lies within the bounds given (or, for an outcome
 * gate, {@code outcome} is in {@code in} and not in {@code notIn}) and the run's measurement is valid.
 *
 * @param reason    why the gate has no verdict on a value: the metric has none ({@code no value because ...}), or
 *                  the measurement is invalid, or the gate stopped the run; null otherwise
 * @param in        outcome gates only (added field): the outcomes that pass, as result.json spells them
 * @param notIn     outcome gates only (added field): the outcomes that fail
 * @param outcome   outcome gates only (added field): the run's outcome the gate judged
 * @param abortedAt added field: when this gate stopped the run ({@code abortOnFail}), seconds since load start;
 *                  null when it did not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(String metric, Double max, Double min, Double actual, boolean passed, String reason,
                         List<String> in, List<String> notIn, String outcome, Double abortedAt) {
    public GateResult {
        in = in == null ? null : List.copyOf(in);
        notIn = notIn == null ? null : List.copyOf(notIn);
    }

    public GateResult(String metric, Double max, Double min, Double actual, boolean passed, String reason) {
        this(metric, max, min, actual, passed, reason, null, null, null, null);
    }

    public GateResult(String metric, Double max, Double min, Double actual, boolean passed) {
        this(metric, max, min, actual, passed, null);
    }

    /** An outcome gate's verdict. */
    static GateResult onOutcome(List<String> in, List<String> notIn, String outcome, boolean passed) {
        return new GateResult(GateMetrics.OUTCOME, null, null, null, passed, null, in, notIn, outcome, null);
    }

    /** This gate, failed because the value it bounds could not be measured: {@code reason} says why. */
    public GateResult unmeasured(String reason) {
        return new GateResult(metric, max, min, actual, false, reason, in, notIn, outcome, abortedAt);
    }

    /** This gate, failed because it stopped the run at {@code t} seconds: {@code reason} says on what value. */
    public GateResult aborted(double t, String reason) {
        return new GateResult(metric, max, min, actual, false, reason, in, notIn, outcome, t);
    }

    /** Whether this is an outcome gate rather than a bound on a metric's value. */
    public boolean onOutcome() {
        return GateMetrics.OUTCOME.equals(metric);
    }

    /** Whether the metric had no value in the run. */
    public boolean noValue() {
        return !onOutcome() && actual == null;
    }
}
