package dev.rolloutlab.result;

import dev.rolloutlab.reports.SummaryMarkdown;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fields added to schema 1 are written, read back, and absent from older files without breaking them. */
class ResultJsonTest {
    @TempDir
    Path dir;

    @Test
    void addedFieldsRoundTrip() {
        TestRuns t = new TestRuns();
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), m.rollbackCompleteSeconds(),
            m.detectionSeconds(), m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(),
            m.resourceOverhead(), m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), m.trafficRestored(), 1,
            new GeneratorLimited(31, 31 / 60031.0, new GeneratorLimited.ByCause(1, 10, 20)), Map.of("v2", 7L),
            new BlastRadius(0.5, 1.0, 0.25, 0.68, null, null), requestsByName());
        RunResult built = t.build();
        RunResult result = new RunResult(built.schemaVersion(), built.scenario(), built.strategy(), built.platform(),
            built.startedAt(), built.outcome(), built.metrics(), built.generator(), built.events(),
            List.of(new TimelinePoint(0, 1000, 0, Map.of("v1", 1000L), 1.1, 2.4, 4.0, 9.0, 31)), built.gates(),
            List.of(new Outage(20.25, 21.75), new Outage(30.0, 30.5, true)), null,
            new Claims("seed", "Canary", "0 s", "< 1 min", "+10%", true));
        Path file = dir.resolve("result.json");

        ResultJson.write(result, file);

        assertThat(ResultJson.read(file)).isEqualTo(result);
        assertThat(ResultJson.toJson(result)).contains("\"unmeasurableOutages\" : 1",
            "\"generatorLimited\" : {", "\"byCause\" : {", "\"expiredUnsent\" : 1", "\"noConnection\" : 10",
            "\"loopLate\" : 20", "\"generatorLimited\" : 31", "\"unmeasurable\" : true",
            "\"failuresByRoutedVersion\" : {", "\"exposure\" : {", "\"affectedUserShare\" : 0.68",
            "\"claims\" : {", "\"approach\" : \"Canary\"", "\"requestsByName\" : {", "\"payment\" : {",
            "\"p95Ms\" : 61.5");
        assertThat(ResultJson.read(file).metrics().requestsByName().keySet()).as("in the mix's order")
            .containsExactly("home", "payment");
        assertThat(SummaryMarkdown.render(result)).contains("### Requests by name",
            "| payment | 3000 | 3 (0.10%) | 52.00 ms | 61.50 ms | 70.00 ms | 90.00 ms |");
        assertThat(result.measuredOutages()).containsExactly(new Outage(20.25, 21.75));
    }

    /** A mix whose first kind sorts after its second, so the order kept is the mix's. */
    private static Map<String, RequestsOfName> requestsByName() {
        Map<String, RequestsOfName> byName = new LinkedHashMap<>();
        byName.put("home", new RequestsOfName(57031, 0, 1.1, 2.4, 4.0, 9.0));
        byName.put("payment", new RequestsOfName(3000, 3, 52.0, 61.5, 70.0, 90.0));
        return byName;
    }

    @Test
    void aFileWrittenBeforeTheAddedFieldsStillReads() throws Exception {
        Path file = dir.resolve("result.json");
        Files.writeString(file, """
            {"schemaVersion": 1, "scenario": "canary-bad-release", "strategy": "canary", "platform": "local",
             "startedAt": "2026-11-22T10:00:00Z", "outcome": "rolled-back",
             "metrics": {"requests": 60000, "failedRequests": 120, "errorRate": 0.002, "downtimeSeconds": 1.5,
               "longestOutageSeconds": 1.5, "degradedSeconds": 2.0, "rollbackSeconds": 0.42,
               "rollbackCompleteSeconds": 1.3, "detectionSeconds": 2.1, "deploymentSeconds": 14.2,
               "blastRadius": {"candidateRequestShare": 0.03, "peakCandidateShare": 0.1, "failedRequestShare": 0.004,
                               "affectedUserShare": 0.08, "cellsExposed": null, "cellsTotal": null},
               "peakReplicas": 11, "baselineReplicas": 10, "resourceOverhead": 0.1,
               "latencyMs": {"p50": 1.2, "p90": 2.0, "p95": 2.6, "p99": 5.1, "p999": 9.0, "max": 30.2},
               "requestsByVersion": {"v1": 58200, "v2": 1800},
               "failuresByCause": {"refused": 0, "reset": 0, "timeout": 0, "http5xx": 120, "http4xx": 0, "other": 0},
               "trafficRestored": true},
             "generator": {"targetRate": 1000, "achievedRate": 999.8, "maxSendLagMs": 0.9, "saturated": false},
             "events": [{"t": 10.0, "type": "rollout-start", "detail": {}},
                        {"t": 12.1, "type": "rollback", "detail": {}},
                        {"t": 13.4, "type": "rollback-complete", "detail": {}},
                        {"t": 14.0, "type": "a-type-from-a-newer-version", "detail": {}}],
             "timeline": [{"t": 0.0, "requests": 1000, "failed": 0, "byVersion": {"v1": 1000},
                           "p50Ms": 1.1, "p95Ms": 2.4, "p99Ms": 4.0}],
             "gates": [{"metric": "downtimeSeconds", "max": 0, "actual": 1.5, "passed": false}],
             "outages": [{"start": 20.0, "end": 21.5}]}
            """);

        RunResult r = ResultJson.read(file);

        assertThat(r.metrics().unmeasurableOutages()).isZero();
        assertThat(r.metrics().generatorLimited()).isNull();
        assertThat(r.metrics().failuresByRoutedVersion()).isEmpty();
        assertThat(r.metrics().exposure()).isNull();
        assertThat(r.metrics().requestsByName()).isEmpty();
        assertThat(r.claims()).isNull();
        assertThat(r.metrics().rollbackSeconds()).isEqualTo(0.42);
        assertThat(r.timeline()).singleElement().extracting(TimelinePoint::generatorLimited).isEqualTo(0L);
        assertThat(r.outages()).containsExactly(new Outage(20.0, 21.5, false));
        assertThat(SummaryMarkdown.render(r)).doesNotContain("generator-limited", "unmeasurable");
        // Milestones come from the events and the restored instant from rollbackSeconds; unknown types are kept.
        assertThat(r.milestones()).isEqualTo(new Milestones(10.0, 12.1, 12.1 + 0.42, null, 13.4, null));
        assertThat(r.events().get(3).kind()).isNull();
    }

    @Test
    void milestonesAreWrittenAndReadBackAsGiven() {
        RunResult built = new TestRuns().build();
        Milestones given = new Milestones(10.0, 12.1, 12.52, null, 13.4, null);
        RunResult result = new RunResult(built.schemaVersion(), built.scenario(), built.strategy(), built.platform(),
            built.startedAt(), built.outcome(), built.metrics(), built.generator(), built.events(), built.timeline(),
            built.gates(), built.outages(), given);
        Path file = dir.resolve("result.json");

        ResultJson.write(result, file);

        assertThat(ResultJson.toJson(result)).contains("\"milestones\" : {", "\"decision\" : 12.1",
            "\"restored\" : 12.52", "\"rolledBack\" : 13.4");
        assertThat(ResultJson.read(file).milestones()).isEqualTo(given);
    }
}
