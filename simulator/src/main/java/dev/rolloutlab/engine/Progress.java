package dev.rolloutlab.engine;

/** A live look at a running load, once per reporting period. */
public record Progress(double elapsedSeconds, double durationSeconds, double rps, double errorRate, Double p95Ms,
                       java.util.Map<String, Long> byVersion, double sendLagMs, boolean lagging) {
}
