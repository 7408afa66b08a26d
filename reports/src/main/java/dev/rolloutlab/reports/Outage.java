package dev.rolloutlab.reports;

/** One full outage of the run (see {@code downtimeSeconds}), in seconds since load start. */
public record Outage(double start, double end) {
    public double seconds() {
        return end - start;
    }
}
