package dev.rolloutlab.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One gate checked against the run: passed when {@code actual} lies within the bounds given and the run's
 * measurement is valid.
 *
 * @param reason why the gate failed although its value is within bounds (an invalid measurement); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(String metric, Double max, Double min, Double actual, boolean passed, String reason) {
    public GateResult(String metric, Double max, Double min, Double actual, boolean passed) {
        this(metric, max, min, actual, passed, null);
    }

    /** This gate, failed because the value it bounds could not be measured: {@code reason} says why. */
    public GateResult unmeasured(String reason) {
        return new GateResult(metric, max, min, actual, false, reason);
    }
}
