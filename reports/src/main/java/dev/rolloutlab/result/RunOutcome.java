package dev.rolloutlab.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The outcomes a run can end with, as {@code result.json}'s {@code outcome} spells them (docs/metrics.md, Outcomes):
 * the names an outcome gate ({@code gates: {outcome: {in: [rolled-back]}}}) may use. {@link RunResult#outcome()}
 * stays text, so that a reader of a newer file with an outcome added later still reads it.
 */
public enum RunOutcome {
    PROMOTED("promoted"),
    ROLLED_BACK("rolled-back"),
    FAILED("failed"),
    INCOMPLETE("incomplete"),
    NOT_STARTED("not-started"),
    COMPLETED("completed"),
    ABORTED("aborted"),
    /** A gate with {@code abortOnFail} stopped the run early. */
    ABORTED_BY_GATE("aborted-by-gate"),
    INVALID("invalid");

    private final String key;

    RunOutcome(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException naming the known outcomes */
    @JsonCreator
    public static RunOutcome fromKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown outcome \"" + key + "\" (known: " + known() + ")"));
    }

    public static String known() {
        return Arrays.stream(values()).map(RunOutcome::key).collect(Collectors.joining(", "));
    }

    /** Whether {@code outcome} (as result.json spells it) is this one. */
    public boolean is(String outcome) {
        return key.equals(outcome);
    }

    @Override
    public String toString() {
        return key;
    }
}
