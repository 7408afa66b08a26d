package dev.rolloutlab.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request rate: {@code 1000/s}, {@code 600/m}, {@code 36000/h}, or a bare number meaning per second. */
public record Rate(double perSecond) {
    /** Also the scenario schema's pattern for the value. */
    static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|sec|m|min|h))?");

    public Rate {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, got " + perSecond);
        }
    }

    /** @throws IllegalArgumentException with a message that shows the expected form */
    public static Rate parse(String text) {
        String s = text == null ? "" : text.trim();
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad rate \"" + text + "\" (expected e.g. 1000/s, 600/m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return new Rate(switch (unit) {
            case "m", "min" -> n / 60;
            case "h" -> n / 3600;
            default -> n;
        });
    }

    @Override
    public String toString() {
        return perSecond == Math.rint(perSecond)
            ? (long) perSecond + "/s"
            : String.format(Locale.ROOT, "%.3f/s", perSecond);
    }
}
