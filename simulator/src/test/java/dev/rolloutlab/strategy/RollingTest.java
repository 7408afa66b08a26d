package dev.rolloutlab.strategy;

import dev.rolloutlab.result.Milestone;
import static dev.rolloutlab.scenario.StrategyType.ROLLING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.scenario.IntOrPercent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingTest {
    @Test
    void rollingReplacesStableAFewReplicasAtATime() {
        Harness h = new Harness(4, Spec.of(ROLLING).surge("25%", "25%")).start().runTo(60);

        assertThat(h.calls()).containsExactly("route all-ready", "scale v2 1", "scale v1 3", "scale v1 2",
            "scale v2 2", "scale v2 3", "scale v1 1", "scale v1 0", "scale v2 4");
        assertThat(h.all("scale")).extracting(Event::t).containsExactly(0.0, 0.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0);
        assertThat(h.at("rollout-complete")).isEqualTo(6.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete");
    }

    @ParameterizedTest(name = "{0} replicas, maxSurge {1}, maxUnavailable {2}")
    @CsvSource({"4,25%,25%", "10,25%,25%", "10,0,1", "10,1,0", "5,50%,0", "3,100%,0", "10,0,30%", "7,2,3"})
    void rollingStaysWithinSurgeAndUnavailabilityBothWays(int n, String surge, String unavailable) {
        Harness h = new Harness(n, Spec.of(ROLLING).surge(surge, unavailable)).start().runTo(600);
        assertThat(h.rollout.outcome()).isEqualTo("promoted");
        Harness back = new Harness(n, Spec.of(ROLLING).surge(surge, unavailable)).start()
            .runTo(h.rollout.at(Milestone.PROMOTED) / 2e9);
        back.rollout.abort("test");
        back.runTo(600);
        assertThat(back.rollout.outcome()).isEqualTo("rolled-back");

        for (Harness run : new Harness[] {h, back}) {
            assertThat(run.platform.peakRunning()).isLessThanOrEqualTo(n + IntOrPercent.parse(surge).resolve(n, true));
            assertThat(run.platform.leastReady())
                .isGreaterThanOrEqualTo(n - IntOrPercent.parse(unavailable).resolve(n, false));
        }
    }

    @Test
    void rollingRollbackIsTheSameUpdateInReverse() {
        Harness h = new Harness(4, Spec.of(ROLLING)).start().runTo(3);
        h.rollout.abort("test");
        h.runTo(60);

        assertThat(h.all("rolling-update")).extracting(e -> e.detail().get("to")).containsExactly("v2", "v1");
        assertThat(h.platform.status(ReplicaSet.of("v1")).ready()).isEqualTo(4);
        assertThat(h.platform.status(ReplicaSet.of("v2")).running()).isZero();
        assertThat(h.milestones()).containsExactly("rollout-start", "rollback", "rollback-complete");
    }

    @Test
    void rollingFailsWhenTheCandidateMakesNoProgressWithinTheDeadline() {
        Harness h = new Harness(4, Spec.of(ROLLING).progressDeadline("30s"));
        h.platform.neverReady("v2");
        h.start().runTo(600);

        assertThat(h.rollout.outcome()).isEqualTo("failed");
        assertThat(h.at("rollout-failed")).isEqualTo(32.0);
        assertThat(h.platform.leastReady()).isEqualTo(3);
    }
}
