package dev.rolloutlab.reports.html;

import static dev.rolloutlab.reports.html.HtmlReportTest.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TimelinePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** What the charts and cards say about a run: per-version latency, the rules' thresholds, the rollback's parts. */
class ChartStoryTest {
    @Test
    void eachVersionHasItsOwnP95AndP99LineAndOlderResultsKeepTheirThree() throws Exception {
        RunResult r = SyntheticRuns.canary("latency-regression", 30);
        List<TimelinePoint> timeline = new ArrayList<>();
        for (TimelinePoint p : r.timeline()) {
            Map<String, TimelinePoint.VersionLatency> by = p.byVersion().containsKey("v2")
                ? Map.of("v1", new TimelinePoint.VersionLatency(0.8, 2.0, 4.0),
                    "v2", new TimelinePoint.VersionLatency(300, 410, 450))
                : Map.of("v1", new TimelinePoint.VersionLatency(0.8, 2.0, 4.0));
            timeline.add(new TimelinePoint(p.t(), p.requests(), p.failed(), p.byVersion(), p.p50Ms(), p.p95Ms(),
                p.p99Ms(), p.maxMs(), 0, by));
        }
        JsonNode latency = data(HtmlReport.run(with(r, r.events(), timeline, r.metrics()))).get("latency");

        assertThat(StreamSupport.stream(latency.spliterator(), false).map(s -> tuple(s.get("name").asText(),
            s.get("color").asText(), s.get("dash").asBoolean()))).containsExactly(
            tuple("all p50", ChartData.ALL_P50, false), tuple("v1 p95", ChartData.STABLE, false),
            tuple("v1 p99", ChartData.STABLE, true), tuple("v2 p95", ChartData.CANDIDATE, false),
            tuple("v2 p99", ChartData.CANDIDATE, true));
        assertThat(latency.get(3).get("values").get(15).asDouble()).isEqualTo(410.0);
        // A second without the candidate has no candidate latency: a gap, not a zero.
        assertThat(latency.get(3).get("values").get(5).isNull()).isTrue();

        JsonNode old = data(HtmlReport.run(r)).get("latency");
        assertThat(StreamSupport.stream(old.spliterator(), false).map(s -> s.get("name").asText()))
            .containsExactly("p50", "p95", "p99");
    }

    @Test
    void eachVersionsErrorRateIsCountedAsTheAnalysisScopesCountItSoTheCandidatesRuleMeetsTheCandidatesLine()
        throws Exception {
        RunResult r = SyntheticRuns.canary("errors", 30);
        List<TimelinePoint> timeline = new ArrayList<>();
        for (TimelinePoint p : r.timeline()) {
            // 100 candidate requests a second: 20 answered 500 by it, 10 refused on the way to it (the proxy's 502).
            boolean canary = p.t() >= 11 && p.t() < 20;
            Map<String, Long> by = canary ? Map.of("v1", 890L, "v2", 100L, "unknown", 10L) : Map.of("v1", 1000L);
            timeline.add(new TimelinePoint(p.t(), 1000, canary ? 30 : 0, by, p.p50Ms(), p.p95Ms(), p.p99Ms(),
                p.maxMs(), 0, Map.of(), canary ? Map.of("v2", 20L, "unknown", 10L) : Map.of(),
                canary ? Map.of("v2", 10L) : Map.of()));
        }
        JsonNode data = data(HtmlReport.run(with(r, r.events(), timeline, r.metrics())));

        JsonNode byVersion = data.get("errorByVersion");
        assertThat(StreamSupport.stream(byVersion.spliterator(), false).map(s -> s.get("name").asText()))
            .containsExactly("v1", "v2");
        assertThat(byVersion.get(1).get("values").get(12).asDouble()).isEqualTo(Math.round(100_000.0 * 30 / 110)
            / 1000.0);
        assertThat(byVersion.get(1).get("values").get(5).isNull()).isTrue();
        assertThat(byVersion.get(0).get("values").get(12).asDouble()).isZero();
        assertThat(data.get("errorPct").get(12).asDouble()).isEqualTo(3.0);
        // A file without failures by version (SyntheticRuns' own timeline) draws the mixed rate only.
        assertThat(data(HtmlReport.run(r)).get("errorByVersion")).isEmpty();
    }

    @Test
    void theRulesAnalysisReportedOnAreDrawnOnTheChartOfTheirMetricAndTheBreachedOneSaysWhen() throws Exception {
        RunResult r = SyntheticRuns.canary("latency-regression", 30);
        List<Event> events = new ArrayList<>(r.events());
        events.add(new Event(11, "analysis", Map.of("rule", "latencyP95 of candidate > 300ms for 5s",
            "state", "ok", "value", 2.0)));
        events.add(new Event(12, "analysis", Map.of("rule", "latencyP95 of candidate > 300ms for 5s",
            "state", "failing", "value", 410.0)));
        events.add(new Event(11, "analysis", Map.of("rule", "errorRate of candidate > 0.05 for 2s", "state", "ok",
            "value", 0.0)));
        events.add(new Event(11, "analysis", Map.of("rule", "restarts of candidate > 2 within 5m", "state", "ok",
            "value", 0.0)));
        events.add(new Event(17, "analysis-failed", Map.of("rule", "latencyP95 of candidate > 300ms for 5s",
            "value", 412.0)));
        events.add(new Event(12, "analysis", Map.of("step", 2, "duration", 10.0)));
        // Drawn at 0.9 × the baseline: SyntheticRuns' seconds 0-9 before the rollout at 10 s, 1000 successful each.
        events.add(new Event(11, "analysis", Map.of("rule", "throughputRatio of all < 0.9 for 10s", "state", "ok",
            "value", 1.0)));
        // A candidate's throughput is a layer of the stack, not a line: not drawn.
        events.add(new Event(11, "analysis", Map.of("rule", "throughputRatio of candidate < 0.1", "state", "ok",
            "value", 1.0)));
        String html = HtmlReport.run(with(r, events, r.timeline(), r.metrics()));

        JsonNode thresholds = data(html).get("thresholds");
        assertThat(StreamSupport.stream(thresholds.spliterator(), false).map(t -> tuple(t.get("chart").asText(),
            t.get("value").asDouble(), t.get("rule").asText(), t.get("breachedAt").isNull() ? null
                : t.get("breachedAt").asDouble()))).containsExactly(
            tuple("ERRORS", 5.0, "errorRate of candidate > 0.05", SyntheticRuns.ROLLBACK - 1),
            tuple("LATENCY", 300.0, "latencyP95 of candidate > 300ms for 5s", 17.0),
            tuple("ERRORS", 5.0, "errorRate of candidate > 0.05 for 2s", null),
            tuple("REQUESTS", 900.0, "throughputRatio of all < 0.9 for 10s", null));
        assertThat(html).contains("analysis rule (dashed): latencyP95 of candidate &gt; 300ms for 5s, breached at "
            + "17.0 s", "; errorRate of candidate &gt; 0.05 for 2s</h3>");
    }

    @Test
    void theRollbackBandEndsAtTrafficRestoredAndTheCleanupIsApart() throws Exception {
        String html = HtmlReport.run(SyntheticRuns.canary("canary-bad-release", 60));

        assertThat(html).contains("rollback: decision → traffic restored (400 ms)", "class=\"sw hatch\"",
            "cleanup: traffic already on stable, candidate being removed → rollback complete");
        JsonNode restored = StreamSupport.stream(data(html).get("markers").spliterator(), false)
            .filter(m -> m.get("label").asText().equals("traffic restored")).findFirst().orElseThrow();
        assertThat(restored.get("t").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK + 0.4);
        assertThat(restored.get("rank").asInt()).isZero();
    }

    @Test
    void aCleanupStillPendingAtTheEndIsShownAsCleanupNotAsRollback() throws Exception {
        RunResult r = SyntheticRuns.canary("abort-delay", 60);
        List<Event> events = r.events().stream().filter(e -> !e.type().equals("rollback-complete")).toList();
        Metrics m = r.metrics();
        Metrics pending = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), null, m.detectionSeconds(), null,
            m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(), m.latencyMs(),
            m.requestsByVersion(), m.failuresByCause(), true);

        String html = HtmlReport.run(with(r, events, r.timeline(), pending));

        JsonNode rollback = data(html).get("rollback");
        assertThat(rollback.get("restored").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK + 0.4);
        assertThat(rollback.get("cleanupPending").asBoolean()).isTrue();
        assertThat(html).contains("candidate being removed (still pending when the load ended)",
            "decision → traffic restored · cleanup (candidate removal) still pending at the end");
    }

    @Test
    void anErrorFreeBlueGreenShowsFullCandidateTrafficAndNoHarmNotABlastRadiusOfAHundredPercent() {
        RunResult r = SyntheticRuns.canary("blue-green", 30);
        Metrics m = r.metrics();
        Metrics clean = new Metrics(m.requests(), 0, 0, 0, 0, 0, null, null, null, m.deploymentSeconds(),
            new BlastRadius(0.6, 1.0, 0.0, 0.0, null, null), m.peakReplicas(), m.baselineReplicas(),
            m.resourceOverhead(), m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), null);

        String html = HtmlReport.run(with(r, List.of(), r.timeline(), clean));

        assertThat(html).contains("<div class=\"card\"><div class=\"k\">Candidate traffic (peak)</div>"
                + "<div class=\"v\">100.00%</div>",
            "<div class=\"card\"><div class=\"k\">Users with a failed request</div><div class=\"v\">0.00%</div>")
            .doesNotContainIgnoringCase("blast radius");
    }

    private static RunResult with(RunResult r, List<Event> events, List<TimelinePoint> timeline, Metrics m) {
        return new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(), r.startedAt(),
            r.outcome(), m, r.generator(), events, timeline, r.gates(), r.outages());
    }
}
