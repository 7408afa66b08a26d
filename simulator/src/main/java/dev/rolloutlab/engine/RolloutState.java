package dev.rolloutlab.engine;

import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.strategy.Rollout;

/**
 * A snapshot of a rollout's milestones at the end of the load, read on the clock's context.
 *
 * @param ended the rollout's own outcome ({@code promoted | rolled-back | failed}), null when it had not ended
 */
record RolloutState(String ended, Long startedAt, Long completedAt, Long rollbackAt, Long rollbackCompleteAt,
                    int peakReplicas, int cellsExposed) {

    static RolloutState of(Rollout r, ReplicaCount replicas) {
        return new RolloutState(r.outcome(), r.startedAt(), r.completedAt(), r.rollbackAt(), r.rollbackCompleteAt(),
            replicas.peak(), r.cellsExposed());
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
        if (startedAt == null) {
            return "not-started";
        }
        if (rollbackAt != null) {
            return Boolean.TRUE.equals(trafficRestored) ? "rolled-back" : "failed";
        }
        return "incomplete";
    }

    RunFacts facts(long loadEnd, Scenario s, int baselineReplicas) {
        Integer cells = s.strategy() instanceof CellBasedSpec cellSpec ? cellSpec.cells() : null;
        boolean cellBased = cells != null;
        // An undo still rolling back has left its promotion behind: the rollout window is open again.
        Long rolloutEnd = ended == null ? null : completedAt;
        return new RunFacts(loadEnd, s.slo().errorRate(), s.service().stable().version(),
            s.service().candidate().version(), startedAt, rolloutEnd, "promoted".equals(ended) ? completedAt : null,
            rollbackAt, rollbackCompleteAt, startedAt == null ? null : peakReplicas,
            startedAt == null ? null : baselineReplicas, cellBased ? cellsExposed : null,
            cells);
    }
}
