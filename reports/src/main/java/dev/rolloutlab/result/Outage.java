package dev.rolloutlab.result;

/**
 * One full outage of the run (see {@code downtimeSeconds}), in seconds since load start.
 *
 * @param unmeasurable it touched requests the generator could not make, so its true bounds are unknown and it is not
 *                     in {@code downtimeSeconds} (added field; false in older files)
 */
public record Outage(double start, double end, boolean unmeasurable) {
    /** A measured outage. */
    public Outage(double start, double end) {
        this(start, end, false);
    }

    public double seconds() {
        return end - start;
    }
}
