package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.RollingSpec;

/**
 * A Deployment's rolling update: the candidate replaces the stable version a few replicas at a time, within
 * {@code maxSurge} and {@code maxUnavailable}, while the Service sends traffic to every ready replica of either
 * version. A rollback rolls the stable version back in the same way, so it takes about as long as the rollout.
 */
final class Rolling implements Strategy {
    private final Rollout rollout;
    private final RollingSpec spec;

    Rolling(Rollout rollout, RollingSpec spec) {
        this.rollout = rollout;
        this.spec = spec;
    }

    @Override
    public void start() {
        rollout.route(new Routing.AllReady(), EventType.ROUTE, "to", "all-ready");
        RollingUpdate.run(rollout, spec, EventType.ROLLING_UPDATE, rollout.stable(), rollout.candidate(),
            rollout::promoted);
    }

    @Override
    public void rollback() {
        RollingUpdate.run(rollout, spec, EventType.ROLLING_UPDATE, rollout.candidate(), rollout.stable(),
            rollout::rollbackComplete);
    }
}
