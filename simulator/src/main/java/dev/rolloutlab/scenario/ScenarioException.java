package dev.rolloutlab.scenario;

import java.util.List;

/**
 * A scenario file that cannot be run, with every problem found as one line
 * {@code FILE:LINE:COL: KEY.PATH: what is wrong}, ready to print without a stack trace.
 */
public final class ScenarioException extends RuntimeException {
    /** Problems shown at most: past a screenful, more lines hide the first ones, which matter most. */
    public static final int SHOWN = 20;

    private final List<String> errors;

    public ScenarioException(List<String> errors) {
        super(message(printable(errors)));
        this.errors = printable(errors);
    }

    public ScenarioException(String error) {
        this(List.of(error));
    }

    /**
     * The line as a terminal should show it: values echoed from the file may hold a line break (which would forge a
     * second {@code FILE:LINE:COL} line) or an escape sequence (which would recolour the terminal), so every control
     * character is written as its escape, e.g. {@code \n} or {@code \u001b}.
     */
    static String printable(String line) {
        StringBuilder b = new StringBuilder(line.length());
        line.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private static String message(List<String> errors) {
        if (errors.size() <= SHOWN) {
            return String.join(System.lineSeparator(), errors);
        }
        return String.join(System.lineSeparator(), errors.subList(0, SHOWN)) + System.lineSeparator()
            + String.format(java.util.Locale.ROOT, "... and %,d more problems", errors.size() - SHOWN);
    }

    private static List<String> printable(List<String> lines) {
        return lines.stream().map(ScenarioException::printable).toList();
    }

    /** The problems, one line each, in file order. */
    public List<String> errors() {
        return errors;
    }
}
