package dev.rolloutlab.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {
    private static final Duration AT = Duration.ofSeconds(5);
    private static final Duration TEN_S = Duration.ofSeconds(10);

    @Test
    void wellFormedFaultsOfEveryTypeHaveNoProblems() {
        assertThat(new Fault(AT, FaultType.OUTAGE, null, TEN_S, null, null, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.KILL, Target.CANDIDATE, null, null, 0.5, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.CRASH_LOOP, null, TEN_S, 2, null, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.PAUSE, null, TEN_S, null, null, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.LATENCY, null, TEN_S, null, 0.1, Duration.ofMillis(100),
            Duration.ofMillis(20)).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.ERRORS, null, TEN_S, null, 0.3, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.PARTITION, Target.cell(3), TEN_S, null, null, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.CPU_STRESS, null, TEN_S, null, null, null, null).problems()).isEmpty();
        assertThat(new Fault(AT, FaultType.LOSS, Target.STABLE, TEN_S, null, 0.05, null, null).problems()).isEmpty();
    }

    @Test
    void defaultsTargetAllAndOneReplicaForFaultsThatPickReplicas() {
        Fault kill = new Fault(AT, FaultType.KILL, null, null, null, null, null, null);
        assertThat(kill.target()).isEqualTo(Target.ALL);
        assertThat(kill.count()).isEqualTo(1);
        assertThat(new Fault(AT, FaultType.KILL, null, null, null, 0.5, null, null).count()).isNull();
        assertThat(new Fault(AT, FaultType.CPU_STRESS, null, TEN_S, null, null, null, null).count())
            .as("cpu-stress hits every targeted replica unless told otherwise").isNull();
    }

    @Test
    void blamesMissingAndMisplacedFieldsByName() {
        assertThat(new Fault(null, FaultType.OUTAGE, null, null, 2, null, null, null).problems()).containsExactly(
            entry("at", "required: when the fault starts, counted from load start"),
            entry("duration", "required for fault type outage"),
            entry("count", "not a field of fault type outage (it takes duration)"));
        assertThat(new Fault(AT, FaultType.LATENCY, null, TEN_S, null, null, null, null).problems())
            .containsExactly(entry("delay", "required for fault type latency"));
        assertThat(new Fault(AT, FaultType.ERRORS, null, TEN_S, null, null, null, null).problems())
            .containsExactly(entry("share", "required for fault type errors"));
        assertThat(new Fault(AT, null, null, null, null, null, null, null).problems())
            .containsExactly(entry("type", "required: what kind of fault to inject"));
    }

    @Test
    void checksRangesAndCombinations() {
        assertThat(new Fault(AT, FaultType.KILL, null, null, 2, 0.5, null, null).problems())
            .containsExactly(entry("share", "give count or share, not both"));
        assertThat(new Fault(AT, FaultType.KILL, null, null, 0, null, null, null).problems())
            .containsExactly(entry("count", "must be at least 1, got 0"));
        assertThat(new Fault(AT, FaultType.OUTAGE, null, Duration.ZERO, null, null, null, null).problems())
            .containsExactly(entry("duration", "must be longer than 0s"));
        assertThat(new Fault(AT, FaultType.PARTITION, null, TEN_S, null, null, null, null).problems())
            .containsOnlyKeys("target");
    }

    @Test
    void typesAndTargetsReadTheirScenarioNames() {
        assertThat(FaultType.fromYaml("crash-loop")).isEqualTo(FaultType.CRASH_LOOP);
        assertThat(FaultType.CPU_STRESS.yamlName()).isEqualTo("cpu-stress");
        assertThat(FaultType.KILL.takes("target")).isTrue();
        assertThat(FaultType.KILL.takes("duration")).isFalse();
        assertThatThrownBy(() -> FaultType.fromYaml("explode")).hasMessageStartingWith("unknown fault type \"explode\" (known: outage, kill,");

        assertThat(Target.parse("candidate")).isEqualTo(Target.CANDIDATE);
        assertThat(Target.parse("cell-12")).isEqualTo(Target.cell(12));
        assertThat(Target.parse("cell-12").isCell()).isTrue();
        assertThat(Target.cell(3)).hasToString("cell-3");
        assertThat(Target.ALL).hasToString("all");
        assertThatThrownBy(() -> Target.parse("cell-0")).hasMessageContaining("cell-N with N >= 1");
        assertThatThrownBy(() -> Target.parse("pods")).hasMessageStartingWith("bad target \"pods\"");
    }
}
