package dev.rolloutlab.engine;

import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.result.Milestone;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.strategy.Rollout;
import java.util.Map;

/**
 * A snapshot of a rollout at the end of the load, read on the clock's context.
 *
 * @param ended      the rollout's own outcome ({@code promoted | rolled-back | failed}), null when it had not ended
 * @param milestones when it reached each milestone
 * @param breachSince when the analysis decided the rollback: the start of the first window in which the breached
 *                   rule's condition held; null for a scripted rollback and without one
 */
record RolloutState(String ended, Map<Milestone, Long> milestones, int peakReplicas, int cellsExposed,
                    Long breachSince) {

    static RolloutState of(Rollout r, ReplicaCount replicas, Long breachSince) {
        return new RolloutState(r.outcome(), r.milestones(), replicas.peak(), r.cellsExposed(), breachSince);
    }

    /**
     * The run's outcome: the rollout's own once it ended. A rollback decided whose candidate was still being scaled
     * down when the load ended is {@code rolled-back} when traffic was restored (the scale-down is cleanup) and
     * {@code failed} when it was not (the rollback did not protect users); {@code incomplete} when neither a promotion
     * nor a rollback was decided before the load ended.
     *
     * @param trafficRestored the metric of that name: null without a rollback
     */
    String outcome(Boolean trafficRestored) {
        if (ended != null) {
            return ended;
        }
        if (!milestones.containsKey(Milestone.START)) {
            return "not-started";
        }
        if (milestones.containsKey(Milestone.DECISION)) {
            return Boolean.TRUE.equals(trafficRestored) ? "rolled-back" : "failed";
        }
        return "incomplete";
    }

    RunFacts facts(long loadEnd, Scenario s, int baselineReplicas) {
        Integer cells = s.strategy() instanceof CellBasedSpec cellSpec ? cellSpec.cells() : null;
        boolean started = milestones.containsKey(Milestone.START);
        // The window closes at the milestone that gave the rollout its outcome; an undo still rolling back has left
        // its promotion behind, so its window is open again.
        Long rolloutEnd = ended == null ? null : milestones.get(switch (ended) {
            case "promoted" -> Milestone.PROMOTED;
            case "rolled-back" -> Milestone.ROLLED_BACK;
            default -> Milestone.FAILED;
        });
        return new RunFacts(loadEnd, s.slo().errorRate(), s.service().stable().version(),
            s.service().candidate().version(), milestones, rolloutEnd, started ? peakReplicas : null,
            started ? baselineReplicas : null, cells != null ? cellsExposed : null, cells, breachSince);
    }
}
