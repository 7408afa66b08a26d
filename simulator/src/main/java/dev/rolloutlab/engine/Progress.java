package dev.rolloutlab.engine;

/**
 * A live look at a running load, once per reporting period.
 *
 * @param generatorLimited requests the generator could not make on time so far, and {@code limitedShare} their
 *                         share of the requests made so far
 */
public record Progress(double elapsedSeconds, double durationSeconds, double rps, double errorRate, Double p95Ms,
                       java.util.Map<String, Long> byVersion, double sendLagMs, boolean lagging,
                       long generatorLimited, double limitedShare) {
}
