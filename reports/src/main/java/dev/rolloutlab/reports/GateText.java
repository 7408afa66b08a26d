package dev.rolloutlab.reports;

import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.RunResult;
import java.util.List;

/**
 * How every report says a gate: its bound, its value and, when it failed, why — the same words in the terminal,
 * summary.md and junit.xml, so that a CI reader who sees "no value because no rollback happened" in one finds it in
 * the others.
 */
public final class GateText {
    private GateText() {
    }

    /** {@code max 0}, {@code min 5 max 10}, {@code in rolled-back}, {@code notIn failed, aborted}. */
    public static String bound(GateResult g) {
        if (g.onOutcome()) {
            String in = g.in() == null ? "" : "in " + String.join(", ", g.in());
            String notIn = g.notIn() == null ? "" : "notIn " + String.join(", ", g.notIn());
            return (in + " " + notIn).strip();
        }
        return Numbers.bound(g);
    }

    /** The value the gate judged: the number, the outcome, or {@code n/a} when the metric has none. */
    public static String actual(GateResult g) {
        if (g.onOutcome()) {
            return g.outcome() == null ? "n/a" : g.outcome();
        }
        return g.actual() == null ? "n/a" : Numbers.plain(g.actual());
    }

    /**
     * Why a gate failed, or why one without a value passed: {@code downtimeSeconds 1.52 > max 0},
     * {@code rollbackSeconds n/a: no value because no rollback happened}, {@code outcome promoted not in
     * rolled-back}; null for a gate that passed on its value.
     */
    public static String why(GateResult g) {
        String head = g.metric() + " " + actual(g);
        if (g.reason() != null) {
            return head + ": " + g.reason();
        }
        if (g.passed()) {
            return null;
        }
        if (g.onOutcome()) {
            return g.in() != null && !g.in().contains(g.outcome()) ? head + " not in " + String.join(", ", g.in())
                : head + " in notIn " + String.join(", ", g.notIn() == null ? List.of() : g.notIn());
        }
        Double actual = g.actual();
        if (actual != null && g.max() != null && actual > g.max()) {
            return head + " > max " + Numbers.plain(g.max());
        }
        if (actual != null && g.min() != null && actual < g.min()) {
            return head + " < min " + Numbers.plain(g.min());
        }
        return head + ", " + bound(g); // a result.json written by another tool may disagree with its bounds
    }

    /**
     * Why the run's measurement is invalid (the generator could not make it), or null: a run with outcome
     * {@code invalid} names its reason.
     */
    public static String invalidReason(RunResult r) {
        if (!"invalid".equals(r.outcome())) {
            return null;
        }
        return r.generator() == null || r.generator().invalidReason() == null ? "the generator could not measure"
            : r.generator().invalidReason();
    }
}
