package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.Routing;

/**
 * A Deployment with the {@code Recreate} strategy: every stable replica is gone before the first candidate starts,
 * so two versions never serve side by side, and users see an outage from the last stable replica leaving to the
 * first candidate turning ready.
 */
final class Recreate implements Strategy {
    private final Rollout rollout;
    private final ReplicaSet stable;
    private final ReplicaSet candidate;

    Recreate(Rollout rollout) {
        this.rollout = rollout;
        this.stable = ReplicaSet.of(rollout.stable());
        this.candidate = ReplicaSet.of(rollout.candidate());
    }

    @Override
    public void start() {
        rollout.route(new Routing.AllReady(), EventType.ROUTE, "to", "all-ready");
        if (rollout.updateInPlace(rollout.stable(), rollout.candidate(), inPlace())) {
            rollout.when(() -> rollout.replaced(stable, candidate), rollout::promoted);
            return;
        }
        rollout.scaleToZero(stable,
            () -> rollout.scaleUp(candidate, rollout.replicas(), rollout::promoted));
    }

    /** Both at once: the outage is already there, so waiting for the candidate to stop would only lengthen it. */
    @Override
    public void rollback() {
        // Another recreate: every candidate replica is gone before the stable ones start, downtime included.
        if (rollout.updateInPlace(rollout.candidate(), rollout.stable(), inPlace())) {
            rollout.when(() -> rollout.replaced(candidate, stable), rollout::rollbackComplete);
            return;
        }
        rollout.scaleToZero(candidate, () -> {
            rollout.scale(stable, rollout.replicas());
            rollout.rollbackCompleteWhenRestored(stable, rollout.replicas(), candidate);
        });
    }

    /** The Deployment's own {@code Recreate}, for a platform whose controller replaces the pods itself. */
    private DeploymentUpdate inPlace() {
        return new DeploymentUpdate(DeploymentUpdate.Type.RECREATE, null, null, rollout.spec().progressDeadline(),
            false);
    }
}
