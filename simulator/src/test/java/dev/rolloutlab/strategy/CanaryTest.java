package dev.rolloutlab.strategy;

import dev.rolloutlab.result.Milestone;
import static dev.rolloutlab.scenario.StrategyType.CANARY;
import static dev.rolloutlab.strategy.Spec.analysis;
import static dev.rolloutlab.strategy.Spec.pause;
import static dev.rolloutlab.strategy.Spec.weight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Event;
import org.junit.jupiter.api.Test;

class CanaryTest {
    @Test
    void canaryWithAProxyMovesEachWeightToJustEnoughReadyCandidates() {
        Harness h = new Harness(10, Spec.of(CANARY).steps(weight(10), pause("10s"), weight(25), pause("10s"),
            weight(50), analysis("10s"), weight(100))).start().runTo(120);

        assertThat(h.calls()).containsExactly("route weighted 0%", "scale v2 1", "route weighted 10%", "scale v2 3",
            "route weighted 25%", "scale v2 5", "route weighted 50%", "scale v2 10", "route weighted 100%",
            "scale v1 0");
        assertThat(h.all("set-weight")).extracting(Event::t).containsExactly(0.0, 1.0, 12.0, 23.0, 34.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete");
        assertThat(h.at("rollout-complete")).isEqualTo(36.0);
    }

    @Test
    void canaryWithAProxyTakesTrafficAwayBeforeReplicasWhenTheWeightDrops() {
        Harness h = new Harness(10, Spec.of(CANARY).steps(weight(50), pause("10s"), weight(10), pause("10s")))
            .start().runTo(120);

        assertThat(h.calls()).containsExactly("route weighted 0%", "scale v2 5", "route weighted 50%",
            "route weighted 10%", "scale v2 1", "scale v2 10", "route weighted 100%", "scale v1 0");
    }

    @Test
    void canaryWithoutARouterWeighsByTheReplicaRatio() {
        Harness h = new Harness(10, Spec.of(CANARY).trafficRouting("replicas")
            .steps(weight(20), pause("10s"), weight(50), pause("10s"))).start().runTo(5);

        assertThat(h.platform.status(ReplicaSet.of("v2")).ready()).isEqualTo(2);
        assertThat(h.platform.status(ReplicaSet.of("v1")).ready()).isEqualTo(8);
        h.runTo(120);
        assertThat(h.calls()).containsExactly("route all-ready", "scale v2 2", "scale v1 8", "scale v2 5",
            "scale v1 5", "scale v2 10", "scale v1 0");
        assertThat(h.at("rollout-complete")).isEqualTo(25.0);
    }

    @Test
    void canaryAbortSetsWeightZeroAtOnceAndRemovesTheCandidateAfterTheAbortDelay() {
        Harness h = new Harness(10, Spec.of(CANARY).abortScaleDownDelay("30s").steps(weight(25), pause("1m")))
            .start().runTo(20);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).containsExactly("route weighted 0%", "scale v2 3", "route weighted 25%",
            "route weighted 0%", "scale v2 0");
        assertThat(h.all("set-weight").get(2).t()).isEqualTo(20.0);
        assertThat(h.all("scale").get(1).t()).isEqualTo(50.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollback", "rollback-complete");
        assertThat(h.rollout.at(Milestone.ROLLED_BACK)).isEqualTo(52_000_000_000L);
    }

    @Test
    void canaryAbortWithoutARouterRemovesTheCandidateAtOnce() {
        Harness h = new Harness(10, Spec.of(CANARY).trafficRouting("replicas").steps(weight(20), pause("1m")))
            .start().runTo(20);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).endsWith("scale v1 10", "scale v2 0");
        assertThat(h.all("scale")).extracting(Event::t).endsWith(20.0, 20.0);
        assertThat(h.at("rollback-complete")).isEqualTo(22.0);
    }

    @Test
    void canaryUndoAfterFullPromotionWithoutARouterBringsStableBackFirst() {
        Harness h = new Harness(10, Spec.of(CANARY).trafficRouting("replicas").steps(weight(50))).start().runTo(60);
        assertThat(h.rollout.outcome()).isEqualTo("promoted");

        h.rollout.abort("undo");
        h.runTo(120);

        // Stable is scaled up and ready (1 s) before the candidate goes: no moment without a ready replica.
        assertThat(h.calls()).endsWith("scale v1 10", "scale v2 0");
        assertThat(h.all("scale")).extracting(Event::t).endsWith(60.0, 61.0);
        assertThat(h.rollout.outcome()).isEqualTo("rolled-back");
    }

    @Test
    void canaryAbortDuringPromotionBringsStableBackBeforeTheWeight() {
        Harness h = new Harness(10, Spec.of(CANARY)).start().runTo(2);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).containsExactly("route weighted 0%", "scale v2 10", "route weighted 100%",
            "scale v1 0", "scale v1 10", "route weighted 0%", "scale v2 0");
        assertThat(h.all("set-weight").get(2).t()).isEqualTo(3.0);
        assertThat(h.at("rollback-complete")).isEqualTo(35.0);
    }
}
