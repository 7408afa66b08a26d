package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.HotPatchSpec;

/**
 * A hot patch shipped by {@code kubectl rollout restart}: the patched build replaces the running one through the
 * Deployment's rolling update, exactly as {@link Rolling} does, but is logged as a {@code restart} so that reports
 * tell a patch from a release. Undoing it is a restart back to the unpatched build.
 */
final class HotPatch implements Strategy {
    private final Rollout rollout;
    private final HotPatchSpec spec;

    HotPatch(Rollout rollout, HotPatchSpec spec) {
        this.rollout = rollout;
        this.spec = spec;
    }

    @Override
    public void start() {
        rollout.route(new Routing.AllReady(), EventType.ROUTE, "to", "all-ready");
        RollingUpdate.run(rollout, spec, EventType.RESTART, rollout.stable(), rollout.candidate(), rollout::promoted);
    }

    @Override
    public void rollback() {
        RollingUpdate.run(rollout, spec, EventType.RESTART, rollout.candidate(), rollout.stable(),
            rollout::rollbackComplete);
    }
}
