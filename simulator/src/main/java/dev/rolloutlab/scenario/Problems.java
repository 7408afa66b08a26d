package dev.rolloutlab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What checking a bound scenario finds, and the checks that the sections and strategy types share. It reads the
 * document's tree as well, to tell a value that was written from a default.
 */
final class Problems {
    private final JsonNode tree;
    private final List<Problem> found = new ArrayList<>();

    Problems(JsonNode tree) {
        this.tree = tree;
    }

    void add(Problem problem) {
        found.add(problem);
    }

    /** The value at {@code p} is wrong (or missing). */
    void error(KeyPath p, String message) {
        found.add(Problem.atValue(p, message));
    }

    /** The key at {@code p} should not be there. */
    void misplaced(KeyPath p, String message) {
        found.add(Problem.atKey(p, message));
    }

    /** @return whether the duration is absent or fine, so dependent checks run only on a sound value */
    boolean positive(KeyPath p, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            error(p, "must be longer than 0s");
            return false;
        }
        return true;
    }

    void atLeastOne(KeyPath p, int n) {
        if (n < 1) {
            error(p, "must be at least 1, got " + n);
        }
    }

    /** Whether the document writes the key at {@code p}, rather than leaving it to its default. */
    boolean written(KeyPath p) {
        return p.find(tree) != null;
    }

    List<Problem> list() {
        return List.copyOf(found);
    }
}
