package dev.rolloutlab.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    @Test
    void anOutcomeGatePassesOnlyForTheOutcomesItNames() {
        Gate mustRollBack = Gate.outcome(List.of(RunOutcome.ROLLED_BACK), null);
        TestRuns t = new TestRuns();

        GateResult rolledBack = mustRollBack.check("outcome", t.build());
        t.outcome = "promoted";
        GateResult promoted = mustRollBack.check("outcome", t.build());

        assertThat(rolledBack.passed()).isTrue();
        assertThat(rolledBack.outcome()).isEqualTo("rolled-back");
        assertThat(rolledBack.in()).containsExactly("rolled-back");
        assertThat(promoted.passed()).isFalse();
        assertThat(promoted.outcome()).isEqualTo("promoted");
    }

    @Test
    void aRollbackTimeIsNoPassWhenTrafficWasNeverRestored() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), 0.499, m.rollbackCompleteSeconds(), m.detectionSeconds(),
            m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(),
            m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), false);
        Gate withinASecond = new Gate(1.0, null);

        GateResult r = withinASecond.check("rollbackSeconds", t.build());

        assertThat(r.passed()).isFalse();
        assertThat(r.actual()).isEqualTo(0.499);
        assertThat(r.reason()).isEqualTo("traffic was not restored before the run ended: 0.499 s is a lower bound");
    }

    @Test
    void notInFailsTheOutcomesItNamesAndCombinesWithIn() {
        Gate notFailed = Gate.outcome(null, List.of(RunOutcome.FAILED, RunOutcome.INCOMPLETE));
        Gate both = Gate.outcome(List.of(RunOutcome.ROLLED_BACK, RunOutcome.FAILED), List.of(RunOutcome.FAILED));
        TestRuns t = new TestRuns();
        t.outcome = "incomplete";
        assertThat(notFailed.check("outcome", t.build()).passed()).isFalse();
        t.outcome = "promoted";
        assertThat(notFailed.check("outcome", t.build()).passed()).isTrue();
        t.outcome = "failed";
        assertThat(both.check("outcome", t.build()).passed()).isFalse();
        t.outcome = "rolled-back";
        assertThat(both.check("outcome", t.build()).passed()).isTrue();
    }

    @Test
    void aMetricWithoutAValueFailsSayingWhy() {
        TestRuns t = new TestRuns();
        t.outcome = "promoted";
        t.metrics = TestRuns.loadOnly().metrics; // no rollout metric has a value
        t.events.removeIf(e -> e.is(EventType.ROLLBACK) || e.is(EventType.ROLLBACK_COMPLETE)
            || e.is(EventType.ANALYSIS_FAILED));

        GateResult g = new Gate(1.0, null).check("rollbackSeconds", t.build());

        assertThat(g.passed()).isFalse();
        assertThat(g.actual()).isNull();
        assertThat(g.noValue()).isTrue();
        assertThat(g.reason()).isEqualTo("no value because no rollback happened");
    }

    @Test
    void ifMissingPassOptsOutAndStillSaysWhy() {
        Gate optOut = new Gate(1.0, null, null, null, Gate.IfMissing.PASS, false);

        GateResult g = optOut.check("rollbackSeconds", TestRuns.loadOnly().build());

        assertThat(g.passed()).isTrue();
        assertThat(g.reason()).isEqualTo("no value because load-only run: nothing was rolled out (ifMissing: pass)");
    }

    @Test
    void missingReasonsSayWhatTheRunDid() {
        TestRuns scripted = new TestRuns();
        scripted.metrics = new Metrics(60000, 0, 0, 0, 0, 0, 0.2, null, null, null,
            new BlastRadius(0.03, 0.1, 0.0, 0.0, null, null), 11, 10, 0.1, new LatencyMs(null, null, null, null, null,
            null), java.util.Map.of("v1", 60000L), new FailuresByCause(0, 0, 0, 0, 0, 0), true);
        RunResult r = scripted.build();

        assertThat(GateMetrics.missingBecause("detectionSeconds", r)).contains("scripted rollback");
        assertThat(GateMetrics.missingBecause("cellsExposed", r)).isEqualTo("not a cell-based strategy");
        assertThat(GateMetrics.missingBecause("latencyP95Ms", r)).isEqualTo("no request succeeded");
        assertThat(GateMetrics.missingBecause("rollbackCompleteSeconds", r))
            .isEqualTo("the rollback had not completed when the load ended");
        assertThat(GateMetrics.missingBecause("peakCandidateShare", TestRuns.loadOnly().build()))
            .isEqualTo("load-only run: nothing was rolled out");
    }

    @Test
    void aValueIsJudgedByItsBounds() {
        RunResult r = new TestRuns().build();
        assertThat(new Gate(0.5, null).check("rollbackSeconds", r).passed()).isTrue();
        assertThat(new Gate(0.4, null).check("rollbackSeconds", r).passed()).isFalse();
        assertThat(new Gate(null, 0.5).check("rollbackSeconds", r).passed()).isFalse();
    }

    @Test
    void aGateNeedsABoundAndOutcomeNamesAreKnown() {
        assertThatThrownBy(() -> new Gate(null, null, null, null, null, true))
            .hasMessageContaining("needs a bound");
        assertThatThrownBy(() -> RunOutcome.fromKey("rolledback"))
            .hasMessageContaining("unknown outcome \"rolledback\"").hasMessageContaining("rolled-back, failed");
        assertThat(RunOutcome.fromKey("aborted-by-gate")).isEqualTo(RunOutcome.ABORTED_BY_GATE);
    }
}
