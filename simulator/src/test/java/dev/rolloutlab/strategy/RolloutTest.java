package dev.rolloutlab.strategy;

import dev.rolloutlab.result.Milestone;
import static dev.rolloutlab.scenario.StrategyType.RECREATE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RolloutTest {
    @Test
    void abortAfterPromotionIsARolloutUndo() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(60);

        h.rollout.abort("undo");
        h.runTo(120);

        assertThat(h.rollout.outcome()).isEqualTo("rolled-back");
        assertThat(h.rollout.at(Milestone.DECISION)).isEqualTo(60_000_000_000L);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete", "rollback",
            "rollback-complete");
        assertThat(h.platform.status(dev.rolloutlab.platform.ReplicaSet.of("v1")).ready()).isEqualTo(3);
        assertThat(h.platform.status(dev.rolloutlab.platform.ReplicaSet.of("v2")).running()).isZero();
    }

    @Test
    void abortIsIgnoredOnceRolledBack() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(2.5);
        h.rollout.abort("first");
        h.runTo(60);
        var calls = h.calls();

        h.rollout.abort("too late");
        h.runTo(120);

        assertThat(h.rollout.outcome()).isEqualTo("rolled-back");
        assertThat(h.calls()).isEqualTo(calls);
    }

    @Test
    void abortTwiceIsOneRollback() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(2.5);

        h.rollout.abort("first");
        h.runTo(3);
        h.rollout.abort("second");
        h.runTo(60);

        assertThat(h.all("rollback")).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reason",
            "first"));
        assertThat(h.calls()).containsOnlyOnce("scale v2 0", "scale v1 3");
        assertThat(h.rollout.at(Milestone.DECISION)).isEqualTo(2_500_000_000L);
    }

    @Test
    void aWaitAsLongAsTheProgressDeadlineFailsTheRollout() {
        Harness h = new Harness(3, Spec.of(RECREATE).progressDeadline("30s"));
        h.platform.neverReady("v2");
        h.start().runTo(600);

        assertThat(h.rollout.outcome()).isEqualTo("failed");
        assertThat(h.at("rollout-failed")).isEqualTo(32.0);
        assertThat(h.all("rollout-failed").get(0).detail())
            .containsEntry("reason", "no progress within the progress deadline of 30s");
    }
}
