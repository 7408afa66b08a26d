package dev.rolloutlab.strategy;

import static dev.rolloutlab.scenario.StrategyType.RECREATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.Event;
import org.junit.jupiter.api.Test;

class RecreateTest {
    @Test
    void recreateStartsTheCandidateOnlyOnceNoStableReplicaRuns() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(60);

        assertThat(h.calls()).containsExactly("route all-ready", "scale v1 0", "scale v2 3");
        assertThat(h.all("scale")).extracting(Event::t).containsExactly(0.0, 2.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete");
        assertThat(h.at("rollout-complete")).isEqualTo(3.0);
    }

    @Test
    void recreateLeavesNoReplicaReadyFromStableLeavingToCandidateReady() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(60);

        assertThat(h.platform.secondsWithNoneReady()).isEqualTo(3.0);
    }

    @Test
    void recreateRollbackIsAnotherRecreate() {
        Harness h = new Harness(3, Spec.of(RECREATE)).start().runTo(2.5);
        h.rollout.abort("test");
        h.runTo(60);

        assertThat(h.calls()).containsExactly("route all-ready", "scale v1 0", "scale v2 3", "scale v2 0",
            "scale v1 3");
        assertThat(h.milestones()).containsExactly("rollout-start", "rollback", "rollback-complete");
        // The candidate's replicas take 2 s to go (until 4.5 s); only then do the stable ones start (ready 1 s later).
        assertThat(h.all("scale")).extracting(Event::t).endsWith(2.5, 4.5);
        assertThat(h.at("rollback-complete")).isEqualTo(5.5);
        assertThat(h.rollout.outcome()).isEqualTo("rolled-back");
    }
}
