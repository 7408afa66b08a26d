package dev.rolloutlab.chaos;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fault hits: the replicas of one version, all replicas, or one cell of a cell-based rollout. Written
 * {@code stable}, {@code candidate}, {@code all} or {@code cell-N} (N from 1).
 *
 * @param cell the cell number for {@link Kind#CELL}, otherwise 0
 */
public record Target(Kind kind, int cell) {
    public enum Kind { STABLE, CANDIDATE, ALL, CELL }

    public static final Target STABLE = new Target(Kind.STABLE, 0);
    public static final Target CANDIDATE = new Target(Kind.CANDIDATE, 0);
    public static final Target ALL = new Target(Kind.ALL, 0);

    private static final Pattern CELL = Pattern.compile("cell-([1-9]\\d{0,8})");

    public Target {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.CELL) != (cell >= 1)) {
            throw new IllegalArgumentException("a cell target needs a cell number >= 1, other targets none");
        }
    }

    public static Target cell(int n) {
        return new Target(Kind.CELL, n);
    }

    /** @throws IllegalArgumentException with a message that shows the expected forms */
    public static Target parse(String text) {
        return switch (text) {
            case "stable" -> STABLE;
            case "candidate" -> CANDIDATE;
            case "all" -> ALL;
            default -> {
                Matcher m = CELL.matcher(text);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad target \"" + text
                        + "\" (expected stable, candidate, all or cell-N with N >= 1)");
                }
                yield cell(Integer.parseInt(m.group(1)));
            }
        };
    }

    public boolean isCell() {
        return kind == Kind.CELL;
    }

    /** The form {@link #parse} reads back. */
    @Override
    public String toString() {
        return kind == Kind.CELL ? "cell-" + cell : kind.name().toLowerCase(Locale.ROOT);
    }
}
