package dev.rolloutlab.reports;

import dev.rolloutlab.result.TestRuns;
import dev.rolloutlab.result.GateMetrics;
import dev.rolloutlab.result.RunResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
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

    /** A side of runs whose p95 took these values. */
    private static RunDiff.Side p95s(Double... values) {
        return new RunDiff.Side("canary (" + values.length + " runs)", values.length,
            Map.of("latencyP95Ms", List.of(values)), null);
    }

    private static RunDiff.Check p95Gate(RunDiff.Side baseline, RunDiff.Side candidate) {
        return new RunDiff(baseline, candidate, List.of(RunDiff.DeltaGate.parse("latencyP95Ms=+10%")), RunDiff.ALPHA)
            .checks().get(0);
    }

    @Test
    void repeatsBeyondTheBoundButOverlappingAreNotSignificantAndPass() {
        // Medians 2.6 and 3.0 (+15 %), but the runs overlap as two identical configurations on a busy runner do.
        RunDiff.Check c = p95Gate(p95s(2.0, 2.6, 3.4, 2.2, 3.1), p95s(2.1, 3.0, 3.5, 2.4, 3.3));

        assertThat(c.row().baseline()).isEqualTo(2.6);
        assertThat(c.row().candidate()).isEqualTo(3.0);
        assertThat(c.row().test().p()).isGreaterThan(0.05);
        assertThat(c.verdict()).isEqualTo(RunDiff.Verdict.NOT_SIGNIFICANT);
        assertThat(c.passed()).isTrue();
    }

    @Test
    void repeatsBeyondTheBoundAndApartAreChangedAndFail() {
        RunDiff diff = new RunDiff(p95s(2.0, 2.6, 2.4, 2.2, 2.5), p95s(3.1, 3.6, 3.2, 3.9, 3.3),
            List.of(RunDiff.DeltaGate.parse("latencyP95Ms=+10%")), RunDiff.ALPHA);

        RunDiff.Check c = diff.checks().get(0);
        assertThat(c.row().test().p()).isCloseTo(2 / 252.0, within(1e-12));
        assertThat(c.verdict()).isEqualTo(RunDiff.Verdict.CHANGED);
        assertThat(diff.passed()).isFalse();
        assertThat(diff.text()).containsPattern("(?m)^metric +baseline +candidate +delta +relative +p$")
            .containsPattern("(?m)^latencyP95Ms +2\\.4 +3\\.3 +\\+0\\.9 +\\+37\\.50% +0\\.008$")
            .contains("Medians of 5 baseline and 5 candidate runs; p: two-sided Mann-Whitney U test")
            .containsPattern("gate +latencyP95Ms +\\+10% +2\\.4 -> 3\\.3 \\(\\+37\\.50%\\) +p=0\\.008 +changed +FAILED");
        assertThat(diff.markdown()).contains("| latencyP95Ms | +10% | 2.4 -> 3.3 (+37.50%) | p=0.008, changed | ❌ failed |");
    }

    @Test
    void aSignificantChangeWithinTheBoundPasses() {
        RunDiff.Check c = p95Gate(p95s(2.00, 2.01, 2.02, 2.03, 2.04), p95s(2.10, 2.11, 2.12, 2.13, 2.14));

        assertThat(c.row().test().significant(RunDiff.ALPHA)).isTrue();
        assertThat(c.verdict()).isEqualTo(RunDiff.Verdict.WITHIN_BOUND);
    }

    @Test
    void tooFewRunsForTheTestFallBackToTheBoundAndSaySo() {
        RunDiff diff = new RunDiff(p95s(2.0, 2.1, 2.2), p95s(3.0, 3.1, 3.2),
            List.of(RunDiff.DeltaGate.parse("latencyP95Ms=+10%")), RunDiff.ALPHA);

        assertThat(diff.checks().get(0).verdict()).isEqualTo(RunDiff.Verdict.BEYOND_BOUND);
        assertThat(diff.method()).contains("cannot reach p < 0.05", "smallest p possible is 0.100", "bound only");
        assertThat(diff.text()).containsPattern("(?m)^latencyP95Ms +2\\.1 +3\\.1 +\\+1 +\\+47\\.62% +-$");
    }

    @Test
    void singleRunsSayNoTestCanBeMade() {
        RunResult r = new TestRuns().build();

        RunDiff diff = new RunDiff(r, r, List.of());

        assertThat(diff.method()).startsWith("Single runs: no statistical test can be made");
        assertThat(diff.text()).contains("Single runs: no statistical test");
    }
}
