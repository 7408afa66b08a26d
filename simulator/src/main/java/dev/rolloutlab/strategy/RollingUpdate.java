package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.scenario.RollingUpdateSpec;
import dev.rolloutlab.scenario.StrategyType;

/**
 * The Deployment controller's rolling update from one replica set to another, shared by {@link Rolling} and
 * {@link HotPatch} in both directions (a rollback is the same update in reverse). Every {@link Rollout#POLL} it
 * scales the target up as far as {@code maxSurge} allows and the source down as far as {@code maxUnavailable}
 * allows, so the total running never exceeds {@code N + maxSurge} and the total ready never drops below
 * {@code N - maxUnavailable}. Unlike the controller, which counts desired replicas, it counts terminating replicas as
 * running: they still hold resources, which is what the surge bounds.
 */
final class RollingUpdate {
    private final Rollout rollout;
    private final RollingUpdateSpec spec;
    private final ReplicaSet from;
    private final ReplicaSet to;
    private final Runnable done;
    private final boolean byController;
    private final int maxRunning;
    private final int minReady;
    private long lastProgress;
    private int mostReady;
    private int fewestRunning = Integer.MAX_VALUE;

    private RollingUpdate(Rollout rollout, RollingUpdateSpec spec, ReplicaSet from, ReplicaSet to, Runnable done,
                          boolean byController) {
        this.rollout = rollout;
        this.spec = spec;
        this.from = from;
        this.to = to;
        this.done = done;
        this.byController = byController;
        int n = rollout.replicas();
        maxRunning = n + spec.maxSurge().resolve(n, true);
        minReady = n - spec.maxUnavailable().resolve(n, false);
        lastProgress = rollout.clock().nanos();
    }

    /**
     * Logs the update as a step of type {@code event}, replaces {@code from} by {@code to} within {@code spec}'s
     * limits, then runs {@code done}.
     */
    static void run(Rollout rollout, RollingUpdateSpec spec, EventType event, String from, String to, Runnable done) {
        rollout.step(event, "from", from, "to", to, "maxSurge", spec.maxSurge().toString(),
            "maxUnavailable", spec.maxUnavailable().toString());
        DeploymentUpdate how = new DeploymentUpdate(DeploymentUpdate.Type.ROLLING_UPDATE, spec.maxSurge(),
            spec.maxUnavailable(), spec.progressDeadline(), spec.type() == StrategyType.HOT_PATCH);
        boolean byController = rollout.updateInPlace(from, to, how);
        new RollingUpdate(rollout, spec, ReplicaSet.of(from), ReplicaSet.of(to), done, byController).pass();
    }

    private void pass() {
        ReplicaSetStatus source = rollout.status(from);
        ReplicaSetStatus target = rollout.status(to);
        int n = rollout.replicas();
        if (target.ready() >= n && source.desired() == 0 && source.running() == 0) {
            done.run();
            return;
        }
        if (madeProgress(source, target)) {
            lastProgress = rollout.clock().nanos();
        } else if (rollout.clock().nanos() - lastProgress >= spec.progressDeadline().toNanos()) {
            rollout.progressDeadlineExceeded();
            return;
        }
        if (!byController) {
            int surge = maxRunning - upperBound(source) - upperBound(target);
            if (surge > 0 && target.desired() < n) {
                rollout.scale(to, Math.min(n, target.desired() + surge));
            }
            int spare = source.ready() + target.ready() - minReady;
            if (spare > 0 && source.desired() > 0) {
                rollout.scale(from, Math.max(0, source.desired() - spare));
            }
        }
        rollout.after(Rollout.POLL, this::pass);
    }

    /** Replicas a set may run: terminating ones still run, and ones asked for may not have started yet. */
    private static int upperBound(ReplicaSetStatus set) {
        return Math.max(set.desired(), set.running());
    }

    /**
     * As Kubernetes judges progress: more target replicas ready or fewer source replicas left than ever before in
     * this update, so a crash-looping target that keeps turning ready again does not count.
     */
    private boolean madeProgress(ReplicaSetStatus source, ReplicaSetStatus target) {
        boolean progress = target.ready() > mostReady || source.running() < fewestRunning;
        mostReady = Math.max(mostReady, target.ready());
        fewestRunning = Math.min(fewestRunning, source.running());
        return progress;
    }
}
