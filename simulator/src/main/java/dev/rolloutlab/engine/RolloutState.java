package dev.rolloutlab.engine;

import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.strategy.Rollout;

/** A snapshot of a rollout's milestones at the end of the load, read on the clock's context. */
record RolloutState(String outcome, Long startedAt, Long completedAt, Long rollbackAt, Long rollbackCompleteAt,
                    int peakReplicas, int cellsExposed) {

    static RolloutState of(Rollout r, ReplicaCount replicas) {
        // A rollout still going when the load ends did not finish within the run.
        String outcome = r.outcome() != null ? r.outcome() : r.startedAt() == null ? "not-started" : "incomplete";
        return new RolloutState(outcome, r.startedAt(), r.completedAt(), r.rollbackAt(), r.rollbackCompleteAt(),
            replicas.peak(), r.cellsExposed());
    }

    RunFacts facts(long loadEnd, Scenario s, int baselineReplicas) {
        boolean cellBased = s.strategy().cells() != null;
        return new RunFacts(loadEnd, s.slo().errorRate(), s.service().stable().version(),
            s.service().candidate().version(), startedAt, completedAt, rollbackAt, rollbackCompleteAt,
            startedAt == null ? null : peakReplicas, startedAt == null ? null : baselineReplicas,
            cellBased ? cellsExposed : null, cellBased ? s.strategy().cells() : null);
    }
}
