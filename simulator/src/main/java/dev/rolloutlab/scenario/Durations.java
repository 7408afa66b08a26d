package dev.rolloutlab.scenario;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the scenario format writes them: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 0}. */
public final class Durations {
    /**
     * Also the scenario schema's pattern for the value: digits per unit bounded so that no value overflows the
     * nanoseconds a duration is counted in (about 292 years), where it would be clamped and reported as another.
     */
    static final Pattern FORMAT = Pattern.compile("(\\d{1,15}(?:\\.\\d+)?)\\s*(us|µs)|(\\d{1,12}(?:\\.\\d+)?)\\s*(ms)"
        + "|(\\d{1,9}(?:\\.\\d+)?)\\s*(s)|(\\d{1,8}(?:\\.\\d+)?)\\s*(m)|(\\d{1,6}(?:\\.\\d+)?)\\s*(h)");
    /** The form without those bounds, to tell a value too long from one malformed. */
    private static final Pattern UNBOUNDED = Pattern.compile("\\d+(?:\\.\\d+)?\\s*(us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message that shows the expected form */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(UNBOUNDED.matcher(s).matches()
                ? "duration \"" + text + "\" is too long to count in nanoseconds (at most 999999h)"
                : "bad duration \"" + text + "\" (expected e.g. 250ms, 1.5s, 2m, 1h)");
        }
        int group = 1;
        while (m.group(group) == null) {
            group += 2;
        }
        double value = Double.parseDouble(m.group(group));
        double nanosPerUnit = switch (m.group(group + 1)) {
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        return Duration.ofNanos(Math.round(value * nanosPerUnit));
    }

    /** The shortest exact form the parser reads back, for messages and summaries. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return trim(nanos / 1e6) + "ms";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
