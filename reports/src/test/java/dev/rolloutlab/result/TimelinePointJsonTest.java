package dev.rolloutlab.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline's per-version latency (added field) is written, read back, and empty in files without it. */
class TimelinePointJsonTest {
    @TempDir
    Path dir;

    @Test
    void latencyByVersionRoundTripsAndOlderPointsReadWithoutIt() {
        RunResult built = new TestRuns().build();
        TimelinePoint point = new TimelinePoint(3, 1000, 10, Map.of("v1", 890L, "v2", 100L, "unknown", 10L), 1.1, 2.4, 4.0, 9.0, 0,
            Map.of("v1", new TimelinePoint.VersionLatency(1.0, 2.0, 3.0),
                "v2", new TimelinePoint.VersionLatency(300.0, 410.0, 420.0)), Map.of("v2", 7L, "unknown", 3L),
            Map.of("v2", 3L));
        RunResult result = new RunResult(built.schemaVersion(), built.scenario(), built.strategy(), built.platform(),
            built.startedAt(), built.outcome(), built.metrics(), built.generator(), built.events(), List.of(point,
            new TimelinePoint(4, 1000, 0, Map.of("v1", 1000L), 1.1, 2.4, 4.0, 9.0)), built.gates(), built.outages());
        Path file = dir.resolve("result.json");

        ResultJson.write(result, file);

        RunResult read = ResultJson.read(file);
        assertThat(read.timeline().get(0).latencyByVersion().get("v2").p95Ms()).isEqualTo(410.0);
        assertThat(read.timeline().get(0).failedByVersion()).containsEntry("v2", 7L);
        assertThat(read.timeline().get(0).routedFailedByVersion()).containsEntry("v2", 3L);
        assertThat(read.timeline().get(1).latencyByVersion()).isEmpty();
        assertThat(read).isEqualTo(result);
    }

    @Test
    void aPointWithoutTheFieldReadsAsEmpty() throws Exception {
        Path file = dir.resolve("result.json");
        String json = ResultJson.toJson(new TestRuns().build()).replaceAll(",\\s*\"(latencyByVersion|failedByVersion|routedFailedByVersion)\" : \\{\\s*}", "");
        assertThat(json).doesNotContain("latencyByVersion");
        Files.writeString(file, json);

        assertThat(ResultJson.read(file).timeline()).isNotEmpty()
            .allSatisfy(p -> assertThat(p.latencyByVersion()).isEmpty());
        assertThat(ResultJson.read(file).timeline()).allSatisfy(p -> assertThat(p.failedByVersion()).isEmpty());
    }
}
