package dev.rolloutlab.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A pod count, absolute ({@code 1}) or relative to the replicas ({@code 25%}), as Kubernetes' maxSurge takes it. */
public record IntOrPercent(int value, boolean percent) {
    /** Also the scenario schema's pattern for the value. */
    static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(%?)");

    public IntOrPercent {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative, got " + value);
        }
    }

    /** @throws IllegalArgumentException with a message that shows the expected forms */
    public static IntOrPercent parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad pod count \"" + text + "\" (expected a whole number like 1 or a "
                + "percentage of replicas like 25%)");
        }
        return new IntOrPercent(Integer.parseInt(m.group(1)), !m.group(2).isEmpty());
    }

    /**
     * Pods this comes to with {@code replicas} replicas. As in Kubernetes, a percentage rounds up for maxSurge and
     * down for maxUnavailable, so a rollout errs on the side of keeping capacity.
     */
    public int resolve(int replicas, boolean roundUp) {
        if (!percent) {
            return value;
        }
        return (int) (((long) value * replicas + (roundUp ? 99 : 0)) / 100);
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
