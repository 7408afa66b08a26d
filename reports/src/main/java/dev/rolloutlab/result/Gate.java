package dev.rolloutlab.result;

/** A bound a scenario puts on one metric: {@code gates: {downtimeSeconds: {max: 0}}}. */
public record Gate(Double max, Double min) {
    public Gate {
        if (max == null && min == null) {
            throw new IllegalArgumentException("a gate needs max or min");
        }
    }

    /**
     * A metric that does not apply to the run (e.g. {@code rollbackSeconds} when nothing was rolled back) is
     * {@code null} and passes: the gate bounds a value, it does not demand an event.
     */
    public GateResult check(String metric, Double actual) {
        boolean passed = actual == null
            || ((max == null || actual <= max) && (min == null || actual >= min));
        return new GateResult(metric, max, min, actual, passed);
    }
}
