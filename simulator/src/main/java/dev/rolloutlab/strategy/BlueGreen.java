package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.BlueGreenSpec;

/**
 * Argo Rollouts' blue-green: the candidate (green) comes up at full size beside the stable version (blue) while the
 * Service's selector keeps every request on blue; after {@code previewFor} the selector switches to green in one
 * step. Blue stays up for {@code scaleDownDelay} so that a rollback is just the selector switching back. Without
 * {@code autoPromote} the rollout waits in preview for a promotion that never comes: it ends only by a rollback or
 * with the run.
 */
final class BlueGreen implements Strategy {
    private final Rollout rollout;
    private final BlueGreenSpec spec;
    private final ReplicaSet stable;
    private final ReplicaSet candidate;
    private boolean switched;

    BlueGreen(Rollout rollout, BlueGreenSpec spec) {
        this.rollout = rollout;
        this.spec = spec;
        this.stable = ReplicaSet.of(rollout.stable());
        this.candidate = ReplicaSet.of(rollout.candidate());
    }

    @Override
    public void start() {
        rollout.route(new Routing.Selector(rollout.stable()), EventType.ROUTE, "to", rollout.stable());
        rollout.scaleUp(candidate, rollout.replicas(), this::preview);
    }

    private void preview() {
        if (!spec.autoPromote()) {
            rollout.step(EventType.AWAIT_PROMOTION);
            return;
        }
        rollout.hold(EventType.PAUSE, spec.previewFor(), this::switchToCandidate);
    }

    private void switchToCandidate() {
        rollout.route(new Routing.Selector(rollout.candidate()), EventType.SWITCH, "to", rollout.candidate());
        switched = true;
        rollout.hold(EventType.SCALE_DOWN_DELAY, spec.scaleDownDelay(),
            () -> rollout.scaleToZero(stable, rollout::promoted));
    }

    /**
     * Switches back at once while blue still runs; once blue has been scaled down, the selector may only switch
     * back when blue is ready again, or every request would fail.
     */
    @Override
    public void rollback() {
        rollout.restore(stable, rollout.replicas(), this::switchBack);
    }

    private void switchBack() {
        if (switched) {
            rollout.route(new Routing.Selector(rollout.stable()), EventType.SWITCH, "to", rollout.stable());
        }
        rollout.scale(candidate, 0);
        rollout.rollbackCompleteWhenRestored(stable, rollout.replicas(), candidate);
    }
}
