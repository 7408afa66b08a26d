package dev.rolloutlab.metrics;

import dev.rolloutlab.result.Milestone;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the engine and platform know about a run beyond its traffic, as times in nanoseconds since load start.
 * Strategy facts are {@code null} (and no milestone reached) for a load-only run.
 *
 * @param loadEndNanos end of the measured run (the load's duration)
 * @param milestones   when the rollout reached each of its milestones
 * @param rolloutEnd   end of the rollout window (blast radius): the milestone that ended the rollout with its outcome
 *                     (promoted, rolled back or failed); null while unfinished
 * @param breachSince  when the rollback was decided by the analysis: the start of the first window in which the
 *                     breached rule's condition held; null for a scripted rollback and without one
 */
public record RunFacts(
    long loadEndNanos,
    double sloErrorRate,
    String stableVersion,
    String candidateVersion,
    Map<Milestone, Long> milestones,
    Long rolloutEnd,
    Integer peakReplicas,
    Integer baselineReplicas,
    Integer cellsExposed,
    Integer cellsTotal,
    Long breachSince) {

    public RunFacts {
        milestones = milestones.isEmpty() ? Map.of() : new EnumMap<>(milestones);
    }

    public static RunFacts loadOnly(long loadEndNanos, double sloErrorRate) {
        return new RunFacts(loadEndNanos, sloErrorRate, null, null, Map.of(), null, null, null, null, null, null);
    }

    /** When the rollout reached {@code milestone}, or null. */
    public Long at(Milestone milestone) {
        return milestones.get(milestone);
    }
}
