package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.reports.SeedClaims;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path dir;



    /** A promoted run of the strategy of the same name. */
    /** A run of a seed-table scenario: its claims travel in result.json to the re-rendered comparison. */
    private static RunResult run(String scenario, String startedAt) {
        Metrics m = new Metrics(1000, 0, 0, 0, 0, 0, null, null, null, 5.0, BlastRadius.NONE, 3, 2, 0.5,
            new LatencyMs(1.0, 2.0, 2.5, 5.0, 9.0, 30.0), Map.of("v1", 1000L), new FailuresByCause(0, 0, 0, 0, 0, 0),
            null);
        return new RunResult(RunResult.SCHEMA_VERSION, scenario, scenario, "local", Instant.parse(startedAt),
            "promoted", m, new GeneratorStats(100, 100, 1, false, 0), List.of(), List.of(),
            List.of(new GateResult("downtimeSeconds", 0.0, null, 0.0, true)), List.of(), null,
            SeedClaims.of(scenario));
    }

    @Test
    void reRendersTheReportsFromResultJsonAndLeavesItAlone() throws Exception {
        Path out = dir.resolve("run");
        RunReports.writeAll(run("rolling", "2026-11-22T10:00:00Z"), out);
        Files.delete(out.resolve("summary.md"));
        Files.writeString(out.resolve("junit.xml"), "stale");
        String json = Files.readString(out.resolve("result.json"));

        Cli ran = Cli.run("report", out.toString());

        assertThat(ran.exit()).as(ran.err()).isEqualTo(Main.EXIT_OK);
        assertThat(out.resolve("summary.md")).content().startsWith("## ✅ rolling: promoted");
        assertThat(out.resolve("junit.xml")).content().startsWith("<?xml");
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("result.json")).hasContent(json);
        assertThat(ran.out()).contains("wrote " + out.resolve("summary.md"), "wrote " + out.resolve("report.html"),
            "wrote " + out.resolve("junit.xml"));
    }

    @Test
    void reRendersEachRunOfACompareFolderAndTheComparisonInRunOrder() throws Exception {
        RunReports.writeAll(run("rolling", "2026-11-22T10:05:00Z"), dir.resolve("rolling"));
        RunReports.writeAll(run("recreate", "2026-11-22T10:00:00Z"), dir.resolve("recreate"));

        Cli ran = Cli.run("report", dir.toString());

        assertThat(ran.exit()).as(ran.err()).isEqualTo(Main.EXIT_OK);
        assertThat(dir.resolve("compare.html")).exists();
        String compare = Files.readString(dir.resolve("compare.md"));
        // The claims table, then the measured one, each in run order.
        assertThat(compare).containsSubsequence("| recreate |", "| rolling |", "| recreate |", "| rolling |")
            .contains("| 5-10 min |");
        assertThat(dir.resolve("rolling/summary.md")).exists();
        assertThat(dir.resolve("recreate/junit.xml")).exists();
    }

    @Test
    void missingResultJsonIsBadInputNamingTheFile() {
        Cli ran = Cli.run("report", dir.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err().strip()).isEqualTo(dir.resolve("result.json") + ": no such file");
        assertThat(Cli.run("report", dir.resolve("nowhere").toString()).err()).contains("nowhere: no such folder");
    }

    @Test
    void invalidJsonIsBadInputWithOneLineAndNoStackTrace() throws Exception {
        Files.writeString(dir.resolve("result.json"), "{not json");

        Cli ran = Cli.run("report", dir.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).startsWith(dir.resolve("result.json") + ": not valid JSON").doesNotContain("\tat ");
        assertThat(ran.err().strip().lines()).hasSize(1);
    }

    @Test
    void anotherSchemaVersionIsBadInput() throws Exception {
        String json = ResultJson.toJson(run("rolling", "2026-11-22T10:00:00Z"));
        Files.writeString(dir.resolve("result.json"), json.replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));

        Cli ran = Cli.run("report", dir.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).contains("result.json: schemaVersion 2 is not supported");
        assertThat(dir.resolve("summary.md")).doesNotExist();
    }

    @Test
    void aBadRunInACompareFolderStopsBeforeAnythingIsWritten() throws Exception {
        RunReports.writeAll(run("rolling", "2026-11-22T10:05:00Z"), dir.resolve("rolling"));
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/result.json"), "[]");
        Files.writeString(dir.resolve("compare.md"), "old");

        Cli ran = Cli.run("report", dir.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).contains(dir.resolve("broken/result.json") + ": no schemaVersion");
        assertThat(dir.resolve("compare.md")).hasContent("old");
    }
}
