package dev.rolloutlab.reports;

import dev.rolloutlab.result.TestRuns;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.RunOutcome;
import dev.rolloutlab.result.GeneratorLimited;
import dev.rolloutlab.result.Metrics;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryMarkdownTest {
    @Test
    void rolledBackRunShowsOutcomeGatesMetricsAndKeyEvents() {
        String md = SummaryMarkdown.render(new TestRuns().build());

        assertThat(md).startsWith("## ❌ canary-bad-release: rolled-back, 1 of 2 gates failed\n\n"
            + "Strategy canary on local platform, started 2026-11-22T10:00:00Z.\n");
        assertThat(md).contains("| downtime | 1.520 s (longest outage 1.520 s) |",
            "| rollback | 0.420 s to restore traffic, complete after 1.300 s |",
            "| detection | 2.100 s |", "| deployment | 14.200 s |",
            "| blast radius | peak candidate share 10.00%, failed 0.40%, users affected 8.00% |",
            "| overhead | +10% (11 replicas at peak, 10 before) |",
            "| error rate | 0.20% (120 failed), degraded 2.000 s |",
            "| p95 / p99 | 2.60 / 5.10 ms |", "| requests | 60000 (999.8/s of 1000.0/s planned) |");
        assertThat(md).contains("| downtimeSeconds | max 0 | 1.52 | ❌ failed |",
            "| rollbackSeconds | max 1 | 0.42 | ✅ passed |");
        assertThat(md).contains("| 10.000 s | rollout-start | strategy canary, from v1, to v2 |",
            "| 12.100 s | analysis-failed | rule errorRate of candidate > 0.05 for 2s, value 0.5 |",
            "| 12.100 s | rollback | reason analysis failed, afterPromotion false |",
            "| 13.400 s | rollback-complete |  |");
        assertThat(md).doesNotContain("replica-started", "load-start", "⚠️").doesNotContainPattern("<[a-z/]");
    }

    @Test
    void rollbackThatDidNotRestoreTrafficSaysSo() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), 20.0, null, m.detectionSeconds(), m.deploymentSeconds(),
            m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(), m.latencyMs(),
            m.requestsByVersion(), m.failuresByCause(), false);

        assertThat(SummaryMarkdown.render(t.build()))
            .contains("| rollback | 20.000 s to restore traffic (**not restored** before the run ended) |");
    }

    @Test
    void aScriptedRollbackSaysNothingWasDetected() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), m.rollbackCompleteSeconds(), null,
            m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(),
            m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), m.trafficRestored());
        t.events.removeIf(e -> e.type().equals("analysis-failed"));

        assertThat(SummaryMarkdown.render(t.build())).contains("| detection | none: the rollback was scripted |");
    }

    @Test
    void rolledBackWhileTheCandidateWasStillScalingDownSaysSo() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), 0.004, null, m.detectionSeconds(), null,
            m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(), m.latencyMs(),
            m.requestsByVersion(), m.failuresByCause(), true);

        assertThat(SummaryMarkdown.render(t.build())).contains("| rollback | 0.004 s to restore traffic; the candidate "
            + "was still being scaled down when the load ended |").doesNotContain("| deployment |");
    }

    @Test
    void unmeasurableOutagesAndGeneratorLimitedRequestsHaveTheirOwnWords() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), m.rollbackCompleteSeconds(),
            m.detectionSeconds(), m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(),
            m.resourceOverhead(), m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), m.trafficRestored(), 2,
            new GeneratorLimited(600, 0.01, new GeneratorLimited.ByCause(100, 200, 300)), Map.of());

        assertThat(SummaryMarkdown.render(t.build())).contains("| downtime | 1.520 s (longest outage 1.520 s), 2 more "
            + "outage(s) **unmeasurable**: the generator could not send on time around them |",
            "| generator-limited | 600 (1.00% of the planned load; expired unsent 100, no connection 200, loop late "
            + "300): in no other metric |");
    }

    @Test
    void loadOnlyRunLeavesOutRolloutRowsAndWarnsWhenTheGeneratorSaturated() {
        TestRuns t = TestRuns.loadOnly();
        t.generator = new GeneratorStats(1000, 700, 250, true, 42);

        String md = SummaryMarkdown.render(t.build());

        assertThat(md.lines().findFirst()).hasValue("## baseline: completed, no gates");
        assertThat(md).contains("| downtime | 0.000 s", "| error rate | 0.00% (0 failed)", "| p95 / p99 | 2.40 / 4.00 ms |",
            "> ⚠️ The load generator could not keep its schedule (max send lag 250.0 ms, 42 requests dropped)");
        assertThat(md).doesNotContain("rollback", "detection", "deployment", "blast radius", "overhead", "### Gates",
            "### Events");
    }

    @Test
    void textFromTheRunCannotBreakTheTable() {
        TestRuns t = new TestRuns();
        t.scenario = "a|b <script>";
        t.gates.clear();

        assertThat(SummaryMarkdown.render(t.build())).startsWith("## a\\|b &lt;script>: rolled-back, no gates\n");
    }

    @Test
    void gatesWithoutAValueOrOnTheOutcomeSayWhy() {
        TestRuns t = new TestRuns();
        t.outcome = "promoted";
        t.gates = java.util.List.of(new GateResult("rollbackSeconds", 1.0, null, null, false,
                "no value because no rollback happened"),
            new GateResult("cellsExposed", 2.0, null, null, true,
                "no value because not a cell-based strategy (ifMissing: pass)"),
            new Gate(null, null, java.util.List.of(RunOutcome.ROLLED_BACK), null, null, false)
                .check("outcome", t.build()));

        String md = SummaryMarkdown.render(t.build());

        assertThat(md).contains("| rollbackSeconds | max 1 | n/a | ❌ failed: no value because no rollback happened |",
            "| cellsExposed | max 2 | n/a | ✅ passed: no value because not a cell-based strategy (ifMissing: pass) |",
            "| outcome | in rolled-back | promoted | ❌ failed |");
        assertThat(md).startsWith("## ❌ canary-bad-release: promoted, 2 of 3 gates failed");
    }

    @Test
    void anInvalidMeasurementSaysEveryGateFails() {
        TestRuns t = new TestRuns();
        t.outcome = "invalid";
        t.generator = t.generator.invalid("the generator's p99 send lag 80.0 ms exceeds load.maxSendLag 50.0 ms");
        t.gates = java.util.List.of(new GateResult("downtimeSeconds", 2.0, null, 1.52, true)
            .unmeasured("invalid measurement: the generator's p99 send lag 80.0 ms exceeds load.maxSendLag 50.0 ms"));

        String md = SummaryMarkdown.render(t.build());

        assertThat(md).contains("> ⛔ **Invalid measurement**: the generator's p99 send lag 80.0 ms exceeds "
            + "load.maxSendLag 50.0 ms. The load generator could not make this run's measurement, so **every gate "
            + "fails** whatever its value");
        assertThat(md).contains("| downtimeSeconds | max 2 | 1.52 | ❌ not measured: invalid measurement (above) |");
    }
}
