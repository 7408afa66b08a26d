package dev.rolloutlab.scenario;

/** Shares as the scenario format writes them: {@code 0.25} or {@code "25%"}, always within [0, 1]. */
public final class Shares {
    private Shares() {
    }

    /** @throws IllegalArgumentException when the text is not a share or lies outside [0, 1] */
    public static double parse(String text) {
        String s = text == null ? "" : text.trim();
        double v;
        try {
            v = s.endsWith("%")
                ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
                : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad share \"" + text + "\" (expected e.g. 0.25 or \"25%\")");
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("share \"" + text + "\" is outside 0..1 (0%..100%)");
        }
        return v;
    }
}
