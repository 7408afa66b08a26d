package dev.rolloutlab.strategy;

import static dev.rolloutlab.scenario.StrategyType.HOT_PATCH;
import static dev.rolloutlab.scenario.StrategyType.ROLLING;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HotPatchTest {
    @Test
    void hotPatchIsTheRollingUpdateLoggedAsARestart() {
        Harness patch = new Harness(4, Spec.of(HOT_PATCH)).start().runTo(60);
        Harness rolling = new Harness(4, Spec.of(ROLLING)).start().runTo(60);

        assertThat(patch.calls()).isEqualTo(rolling.calls());
        assertThat(patch.all("restart")).extracting(e -> e.detail().get("to")).containsExactly("v2");
        assertThat(patch.all("rolling-update")).isEmpty();
        assertThat(patch.milestones()).containsExactly("rollout-start", "rollout-complete");
    }

    @Test
    void undoingAHotPatchIsARestartBackToTheUnpatchedBuild() {
        Harness h = new Harness(4, Spec.of(HOT_PATCH)).start().runTo(3);
        h.rollout.abort("test");
        h.runTo(60);

        assertThat(h.all("restart")).extracting(e -> e.detail().get("to")).containsExactly("v2", "v1");
        assertThat(h.milestones()).containsExactly("rollout-start", "rollback", "rollback-complete");
    }
}
