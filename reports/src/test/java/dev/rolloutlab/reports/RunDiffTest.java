package dev.rolloutlab.reports;

import dev.rolloutlab.result.TestRuns;
import dev.rolloutlab.result.GateMetrics;
import dev.rolloutlab.result.RunResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunDiffTest {
    private static RunDiff.Row row(Double baseline, Double candidate) {
        return new RunDiff.Row("latencyP95Ms", baseline, candidate);
    }

    @Test
    void parsesSignUnitAndDefaultsToIncrease() {
        assertThat(RunDiff.DeltaGate.parse("latencyP95Ms=+10%"))
            .isEqualTo(new RunDiff.DeltaGate("latencyP95Ms", true, 10, true));
        assertThat(RunDiff.DeltaGate.parse("achievedRate=-5%"))
            .isEqualTo(new RunDiff.DeltaGate("achievedRate", false, 5, true));
        assertThat(RunDiff.DeltaGate.parse("downtimeSeconds=0.5").bound()).isEqualTo("+0.5");
        assertThatThrownBy(() -> RunDiff.DeltaGate.parse("latencyP95Ms=ten")).hasMessageContaining("expected METRIC=");
        assertThatThrownBy(() -> RunDiff.DeltaGate.parse("p95=+1")).hasMessageContaining("unknown metric 'p95'")
            .hasMessageContaining("latencyP95Ms");
    }

    @Test
    void percentagesAreOfTheBaselineAndTolerateRounding() {
        RunDiff.DeltaGate tenPercentUp = RunDiff.DeltaGate.parse("latencyP95Ms=+10%");
        assertThat(tenPercentUp.allows(row(1.0, 1.1))).isTrue();
        assertThat(tenPercentUp.allows(row(1.0, 1.11))).isFalse();
        assertThat(tenPercentUp.allows(row(2.0, 1.0))).isTrue();
        assertThat(tenPercentUp.allows(row(0.0, 0.0))).isTrue();
        assertThat(tenPercentUp.allows(row(0.0, 0.1))).as("any rise from 0").isFalse();
        assertThat(tenPercentUp.allows(row(null, 5.0))).as("n/a passes").isTrue();
        assertThat(row(0.0, 0.1).relative()).isNull();
        assertThat(row(0.0, 0.0).relative()).isZero();
    }

    @Test
    void everyGateMetricIsARow() {
        RunResult r = new TestRuns().build();
        RunDiff diff = new RunDiff(r, r, List.of());

        assertThat(diff.rows()).extracting(RunDiff.Row::metric).containsExactlyElementsOf(GateMetrics.names());
        assertThat(diff.passed()).isTrue();
        assertThat(diff.markdown()).startsWith("## Run diff, no gates\n");
    }
}
