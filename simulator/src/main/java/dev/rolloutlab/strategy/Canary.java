package dev.rolloutlab.strategy;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.scenario.CanarySpec;
import dev.rolloutlab.scenario.Step;

/**
 * Argo Rollouts' canary: the steps run in order, then the candidate is promoted to full size and the stable version
 * scaled away. With a traffic router ({@code proxy}, {@code istio}, {@code gatewayApi}) a weight is exact: the
 * stable version stays at full size and the candidate gets just enough replicas for its share, ready before the
 * weight moves to it. With {@code replicas} there is no router, so the weight is the candidate's share of the ready
 * replicas.
 */
final class Canary implements Strategy {
    private final Rollout rollout;
    private final CanarySpec spec;
    private final ReplicaSet stable;
    private final ReplicaSet candidate;
    private final boolean byReplicas;
    private int weight;

    Canary(Rollout rollout, CanarySpec spec) {
        this.rollout = rollout;
        this.spec = spec;
        this.stable = ReplicaSet.of(rollout.stable());
        this.candidate = ReplicaSet.of(rollout.candidate());
        this.byReplicas = "replicas".equals(spec.trafficRouting());
    }

    @Override
    public void start() {
        if (byReplicas) {
            rollout.route(new Routing.AllReady(), EventType.ROUTE, "to", "all-ready");
        } else {
            routeWeight(0);
        }
        run(0);
    }

    private void run(int index) {
        if (index == spec.steps().size()) {
            promote();
            return;
        }
        Step step = spec.steps().get(index);
        Runnable next = () -> run(index + 1);
        if (step.setWeight() != null) {
            setWeight(step.setWeight(), next);
        } else if (step.pause() != null) {
            rollout.hold(EventType.PAUSE, step.pause(), next);
        } else {
            // The engine runs the analysis in the background and aborts the rollout on a breach.
            rollout.hold(EventType.ANALYSIS, step.analysis(), next);
        }
    }

    /** A weight never reaches replicas that are not ready, and capacity is added before traffic moves to it. */
    private void setWeight(int percent, Runnable then) {
        int n = rollout.replicas();
        int current = rollout.status(candidate).desired();
        if (byReplicas) {
            int replicas = (int) Math.round(n * percent / 100.0);
            Runnable logged = () -> {
                rollout.step(EventType.SET_WEIGHT, "weight", percent);
                then.run();
            };
            if (replicas >= current) {
                rollout.scaleUp(candidate, replicas, () -> scaleThen(stable, n - replicas, logged));
            } else {
                rollout.scaleUp(stable, n - replicas, () -> scaleThen(candidate, replicas, logged));
            }
        } else {
            int replicas = (n * percent + 99) / 100;
            if (replicas >= current) {
                rollout.scaleUp(candidate, replicas, () -> {
                    routeWeight(percent);
                    then.run();
                });
            } else {
                routeWeight(percent);
                scaleThen(candidate, replicas, then);
            }
        }
    }

    private void scaleThen(ReplicaSet set, int replicas, Runnable then) {
        rollout.scale(set, replicas);
        then.run();
    }

    private void routeWeight(int percent) {
        weight = percent;
        rollout.route(new Routing.Weighted(rollout.stable(), rollout.candidate(), percent / 100.0), EventType.SET_WEIGHT,
            "weight", percent);
    }

    private void promote() {
        rollout.step(EventType.PROMOTE, "version", rollout.candidate());
        rollout.scaleUp(candidate, rollout.replicas(), () -> {
            if (!byReplicas && weight != 100) {
                routeWeight(100);
            }
            rollout.scaleToZero(stable, rollout::promoted);
        });
    }

    /**
     * With a router, traffic leaves the candidate at once and the candidate stays up for
     * {@code abortScaleDownDelay}, as in Argo, so requests still routed to it while the new weight propagates are
     * served; should the promotion have begun scaling the stable version away, it must be ready again first. Without a router the only way to take the candidate's
     * share away is to remove it, so it goes at once and Argo's delay does not apply.
     */
    @Override
    public void rollback() {
        int n = rollout.replicas();
        if (byReplicas && rollout.status(stable).ready() > 0) {
            // Stable replicas still serve: removing the candidate's replicas is what takes its share to zero.
            rollout.scale(stable, n);
            rollout.scale(candidate, 0);
            rollout.rollbackCompleteWhenRestored(stable, n, candidate);
        } else if (byReplicas) {
            // Fully promoted: the stable must be back before the candidate may go.
            rollout.restore(stable, n, () -> {
                rollout.scale(candidate, 0);
                rollout.rollbackCompleteWhenRestored(stable, n, candidate);
            });
        } else {
            rollout.restore(stable, n, () -> {
                routeWeight(0);
                rollout.hold(EventType.ABORT_SCALE_DOWN_DELAY, spec.abortScaleDownDelay(), () -> {
                    rollout.scale(candidate, 0);
                    rollout.rollbackCompleteWhenRestored(stable, n, candidate);
                });
            });
        }
    }
}
