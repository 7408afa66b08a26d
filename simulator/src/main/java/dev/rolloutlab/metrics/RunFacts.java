package dev.rolloutlab.metrics;

/**
 * What the engine and platform know about a run beyond its traffic, as times in nanoseconds since load start.
 * Strategy facts are {@code null} for a load-only run.
 *
 * @param loadEndNanos      end of the measured run (the load's duration)
 * @param rolloutStart      the {@code rollout-start} event
 * @param rolloutEnd        end of the rollout window (blast radius): the {@code rollout-complete},
 *                          {@code rollback-complete} or {@code rollout-failed} event; null while unfinished
 * @param rolloutComplete   the {@code rollout-complete} event (the candidate promoted); null otherwise
 * @param rollbackDecision  the {@code rollback} event
 * @param rollbackComplete  the {@code rollback-complete} event
 */
public record RunFacts(
    long loadEndNanos,
    double sloErrorRate,
    String stableVersion,
    String candidateVersion,
    Long rolloutStart,
    Long rolloutEnd,
    Long rolloutComplete,
    Long rollbackDecision,
    Long rollbackComplete,
    Integer peakReplicas,
    Integer baselineReplicas,
    Integer cellsExposed,
    Integer cellsTotal) {

    public static RunFacts loadOnly(long loadEndNanos, double sloErrorRate) {
        return new RunFacts(loadEndNanos, sloErrorRate, null, null, null, null, null, null, null, null, null, null,
            null);
    }
}
