package dev.rolloutlab.repeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepeatSummaryTest {
    @TempDir
    Path dir;

    /** A run of the test canary with its p95 and outcome set. */
    private static RunResult run(double p95, String outcome) {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), outcome.equals("promoted") ? null : m.rollbackSeconds(),
            m.rollbackCompleteSeconds(), m.detectionSeconds(), m.deploymentSeconds(), m.blastRadius(),
            m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(),
            new LatencyMs(1.0, 2.0, p95, 5.0, 9.0, 30.0), m.requestsByVersion(), m.failuresByCause(),
            m.trafficRestored());
        t.outcome = outcome;
        return t.build();
    }

    private static List<String> folders(int n) {
        List<String> f = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            f.add("run-" + i);
        }
        return f;
    }

    private static Map<String, Gate> gates() {
        Map<String, Gate> g = new LinkedHashMap<>();
        g.put("latencyP95Ms", new Gate(3.0, null));
        g.put("rollbackSeconds", new Gate(1.0, null));
        return g;
    }

    @Test
    void mediansWithTheirIntervalAndGatesOnTheMedians() {
        List<RunResult> runs = List.of(run(2.0, "rolled-back"), run(9.0, "rolled-back"), run(2.5, "rolled-back"),
            run(2.2, "rolled-back"), run(2.9, "rolled-back"));

        RepeatSummary s = RepeatSummary.of(runs, folders(5), gates());

        MetricSummary p95 = s.metrics().get("latencyP95Ms");
        assertThat(p95.values()).containsExactly(2.0, 9.0, 2.5, 2.2, 2.9);
        assertThat(p95.median()).isEqualTo(2.5);
        assertThat(p95.low()).isEqualTo(2.0);
        assertThat(p95.high()).isEqualTo(9.0);
        assertThat(p95.confidence()).isEqualTo(0.9375);
        assertThat(s.outcome()).isEqualTo("rolled-back");
        assertThat(s.outcomes()).containsExactly(Map.entry("rolled-back", 5));
        // One slow run (9 ms) would fail a gate of max 3 on its own; the median does not.
        assertThat(s.gates()).extracting(g -> g.metric() + " " + g.actual() + " " + g.passed())
            .containsExactly("latencyP95Ms 2.5 true", "rollbackSeconds 0.42 true");
        assertThat(s.gatesPassed()).isTrue();
        assertThat(s.side().runs()).isEqualTo(5);
        assertThat(s.side().values().get("latencyP95Ms")).containsExactly(2.0, 9.0, 2.5, 2.2, 2.9);
    }

    @Test
    void aMedianBeyondItsBoundFailsTheGate() {
        RepeatSummary s = RepeatSummary.of(List.of(run(3.5, "rolled-back"), run(2.0, "rolled-back"),
            run(3.2, "rolled-back")), folders(3), gates());

        assertThat(s.gates().get(0).actual()).isEqualTo(3.2);
        assertThat(s.gatesPassed()).isFalse();
    }

    @Test
    void differentOutcomesAreMixedAndMetricsOnlyOfRunsThatHaveThem() {
        RepeatSummary s = RepeatSummary.of(List.of(run(2.0, "rolled-back"), run(2.0, "promoted"),
            run(2.0, "rolled-back")), folders(3), gates());

        assertThat(s.outcome()).isEqualTo(RepeatSummary.MIXED);
        assertThat(s.outcomes()).containsEntry("promoted", 1).containsEntry("rolled-back", 2);
        MetricSummary rollback = s.metrics().get("rollbackSeconds");
        assertThat(rollback.values()).containsExactly(0.42, null, 0.42);
        assertThat(rollback.n()).isEqualTo(2);
        assertThat(rollback.present()).containsExactly(0.42, 0.42);
    }

    @Test
    void anInvalidRunFailsEveryGateNamingTheRun() {
        RepeatSummary s = RepeatSummary.of(List.of(run(2.0, "rolled-back"), run(2.0, "invalid")), folders(2), gates());

        assertThat(s.outcome()).isEqualTo("invalid");
        assertThat(s.gates()).allSatisfy(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.reason()).startsWith("run-2: invalid measurement");
        });
        assertThat(RepeatJUnit.render(s)).contains("name=\"every run measured\"", "outcome invalid: run-2: invalid",
            "failures=\"3\"");
        assertThat(RepeatMarkdown.render(s)).contains("**Invalid measurement.** run-2");
    }

    @Test
    void writesAndReadsBackTheSameSummaryWithItsReports() throws Exception {
        RepeatSummary s = RepeatSummary.of(List.of(run(2.0, "rolled-back"), run(4.0, "rolled-back"),
            run(3.5, "rolled-back")), folders(3), gates());

        List<Path> files = RepeatReports.writeAll(s, dir);

        assertThat(files).extracting(p -> p.getFileName().toString())
            .containsExactly("repeat.json", "summary.md", "junit.xml");
        assertThat(RepeatJson.isRepeat(dir.resolve("repeat.json"))).isTrue();
        assertThat(RepeatJson.read(dir.resolve("repeat.json"))).isEqualTo(s);
        assertThat(Files.readString(dir.resolve("summary.md")))
            .startsWith("## ❌ canary-bad-release: rolled-back, 3 runs, 1 of 2 gates failed on the medians")
            .contains("| latencyP95Ms | max 3 | 3.5 | [2, 4] | ❌ failed |",
                "| latencyP95Ms | 3.5 | [2, 4] | 75.0% | 2 | 4 | 3 of 3 |");
        assertThat(Files.readString(dir.resolve("junit.xml")))
            .contains("<testsuite name=\"canary-bad-release (3 runs)\" tests=\"3\" failures=\"1\"",
                "latencyP95Ms median 3.5 outside max 3 over 3 runs", "<testcase classname=\"rollout-lab.canary-bad-release\" "
                    + "name=\"every run measured\" time=\"0\"/>");
    }

    @Test
    void aResultJsonIsNotARepeatSummary() throws Exception {
        Path result = dir.resolve("result.json");
        dev.rolloutlab.result.ResultJson.write(run(2.0, "promoted"), result);

        assertThat(RepeatJson.isRepeat(result)).isFalse();
        assertThatThrownBy(() -> RepeatJson.read(result)).isInstanceOf(ResultFormatException.class)
            .hasMessage(result + ": no \"kind\": \"repeat\"; not a rollout-lab repeat.json");
    }
}
