package dev.rolloutlab.scenario;

/**
 * The settings of a Deployment's rolling update, which {@code rolling} and {@code hot-patch} both run: the candidate
 * replaces the stable version a few pods at a time, within {@code maxSurge} extra pods and {@code maxUnavailable}
 * pods down (each a count or a share of the replicas, default 25%).
 */
public sealed interface RollingUpdateSpec extends StrategySpec permits RollingSpec, HotPatchSpec {
    IntOrPercent DEFAULT_MAX_SURGE = new IntOrPercent(25, true);
    IntOrPercent DEFAULT_MAX_UNAVAILABLE = new IntOrPercent(25, true);

    IntOrPercent maxSurge();

    IntOrPercent maxUnavailable();

    /**
     * Both limits coming to 0 pods would leave the update no pod to add or take away; the key blamed is the one the
     * file wrote, maxUnavailable first.
     */
    @Override
    default void check(Scenario scenario, KeyPath at, Problems problems) {
        int replicas = scenario.service().replicas();
        if (maxSurge().resolve(replicas, true) == 0 && maxUnavailable().resolve(replicas, false) == 0) {
            KeyPath blamed = problems.written(at.child("maxUnavailable")) ? at.child("maxUnavailable")
                : at.child("maxSurge");
            problems.error(blamed, "maxSurge " + maxSurge() + " and maxUnavailable " + maxUnavailable()
                + " both come to 0 pods with " + replicas + " replicas: the rollout could never replace a pod");
        }
    }
}
