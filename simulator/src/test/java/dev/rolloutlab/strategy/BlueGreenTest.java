package dev.rolloutlab.strategy;

import static dev.rolloutlab.scenario.StrategyType.BLUE_GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlueGreenTest {
    private static Spec blueGreen() {
        return Spec.of(BLUE_GREEN).previewFor("5s").scaleDownDelay("30s");
    }

    @Test
    void blueGreenPreviewsThenSwitchesAndScalesBlueDownAfterTheDelay() {
        Harness h = new Harness(3, blueGreen()).start().runTo(120);

        assertThat(h.calls()).containsExactly("route selector v1", "scale v2 3", "route selector v2", "scale v1 0");
        assertThat(h.at("switch")).isEqualTo(6.0);
        assertThat(h.all("scale").get(1).t()).isEqualTo(36.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollout-complete");
        assertThat(h.at("rollout-complete")).isEqualTo(38.0);
    }

    @Test
    void blueGreenRollbackDuringScaleDownDelayIsAnImmediateSwitchBack() {
        Harness h = new Harness(3, blueGreen()).start().runTo(10);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).containsExactly("route selector v1", "scale v2 3", "route selector v2",
            "route selector v1", "scale v2 0");
        assertThat(h.all("switch").get(1).t()).isEqualTo(10.0);
        assertThat(h.milestones()).containsExactly("rollout-start", "rollback", "rollback-complete");
        assertThat(h.at("rollback-complete")).isEqualTo(12.0);
    }

    @Test
    void blueGreenRollbackAfterBlueScaledDownSwitchesBackOnceBlueIsReady() {
        Harness h = new Harness(3, blueGreen()).start().runTo(37);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).containsExactly("route selector v1", "scale v2 3", "route selector v2", "scale v1 0",
            "scale v1 3", "route selector v1", "scale v2 0");
        assertThat(h.all("switch").get(1).t()).isEqualTo(38.0);
        assertThat(h.platform.secondsWithNoneReady()).isZero();
        assertThat(h.at("rollback-complete")).isEqualTo(40.0);
    }

    @Test
    void blueGreenWithoutAutoPromoteStaysInPreview() {
        Harness h = new Harness(3, blueGreen().autoPromote(false)).start().runTo(600);

        assertThat(h.calls()).containsExactly("route selector v1", "scale v2 3");
        assertThat(h.rollout.ended()).isFalse();
        assertThat(h.at("await-promotion")).isEqualTo(1.0);
    }

    @Test
    void blueGreenRollbackInPreviewOnlyRemovesGreen() {
        Harness h = new Harness(3, blueGreen().autoPromote(false)).start().runTo(60);
        h.rollout.abort("test");
        h.runTo(120);

        assertThat(h.calls()).containsExactly("route selector v1", "scale v2 3", "scale v2 0");
        assertThat(h.at("rollback-complete")).isEqualTo(62.0);
    }
}
