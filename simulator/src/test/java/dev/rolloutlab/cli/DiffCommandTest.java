package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DiffCommandTest {
    @TempDir
    Path dir;
    Path baseline;
    Path candidate;

    private record Ran(int exit, String out, String err) {
    }

    /** A run with the metrics a test varies; a null rollback is a run that rolled nothing back. */
    private static RunResult run(Double p95, double downtime, Double rollback, double achievedRate) {
        Metrics m = new Metrics(60000, 0, 0, downtime, downtime, 0, rollback, null, null, 14.0, BlastRadius.NONE, 11,
            10, 0.1, new LatencyMs(1.0, 2.0, p95, 5.0, 9.0, 30.0), Map.of("v1", 60000L),
            new FailuresByCause(0, 0, 0, 0, 0, 0), rollback == null ? null : true);
        return new RunResult(RunResult.SCHEMA_VERSION, "canary", "canary", "local", Instant.parse("2026-11-22T10:00:00Z"),
            "promoted", m, new GeneratorStats(1000, achievedRate, 1, false, 0), List.of(), List.of(), List.of(), List.of());
    }

    @BeforeEach
    void writeRuns() {
        baseline = dir.resolve("baseline.json");
        candidate = dir.resolve("candidate.json");
        ResultJson.write(run(2.6, 0, null, 1000), baseline);
        ResultJson.write(run(2.86, 1.52, 0.42, 940), candidate);
    }

    private Ran diff(String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        String[] args = Stream.concat(Stream.of("diff", baseline.toString(), candidate.toString()), Stream.of(options))
            .toArray(String[]::new);
        int exit = cli.execute(args);
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsBaselineCandidateAndAbsoluteAndRelativeDeltaPerMetric() {
        Ran ran = diff();

        assertThat(ran.exit()).as(ran.err()).isEqualTo(Main.EXIT_OK);
        assertThat(ran.out()).containsPattern("(?m)^metric +baseline +candidate +delta +relative$")
            .containsPattern("(?m)^latencyP95Ms +2\\.6 +2\\.86 +\\+0\\.26 +\\+10\\.00%$")
            .containsPattern("(?m)^achievedRate +1000 +940 +-60 +-6\\.00%$")
            .containsPattern("(?m)^requests +60000 +60000 +0 +0\\.00%$")
            .containsPattern("(?m)^downtimeSeconds +0 +1\\.52 +\\+1\\.52 +n/a$")
            .containsPattern("(?m)^rollbackSeconds +n/a +0\\.42 +n/a +n/a$");
        int column = ran.out().lines().filter(l -> l.startsWith("metric")).findFirst().orElseThrow().indexOf("baseline");
        assertThat(ran.out().lines().filter(l -> l.startsWith("latencyP")))
            .allSatisfy(l -> assertThat(l.charAt(column - 1)).as("aligned: %s", l).isEqualTo(' '))
            .allSatisfy(l -> assertThat(l.charAt(column)).as("aligned: %s", l).isNotEqualTo(' '));
    }

    @Test
    void relativeGatesPassOrFailWithTheExitCode() {
        assertThat(diff("--gate", "latencyP95Ms=+10%").exit()).isEqualTo(Main.EXIT_OK);
        Ran failed = diff("--gate", "latencyP95Ms=+10%", "--gate", "latencyP95Ms=+5%");
        assertThat(failed.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(failed.out()).containsPattern("gate +latencyP95Ms +\\+10% +2\\.6 -> 2\\.86 \\(\\+10\\.00%\\) +passed")
            .containsPattern("gate +latencyP95Ms +\\+5% +2\\.6 -> 2\\.86 \\(\\+10\\.00%\\) +FAILED");
    }

    @Test
    void decreaseGatesBoundHowFarAMetricMayFall() {
        assertThat(diff("--gate", "achievedRate=-10%").exit()).isEqualTo(Main.EXIT_OK);
        assertThat(diff("--gate", "achievedRate=-5%").exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(diff("--gate", "achievedRate=-60").exit()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void absoluteGatesBoundTheChangeItself() {
        Ran failed = diff("--gate", "downtimeSeconds=+0.5");
        assertThat(failed.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(failed.out()).containsPattern("downtimeSeconds +\\+0\\.5 +0 -> 1\\.52 \\(\\+1\\.52\\) +FAILED");
        assertThat(diff("--gate", "downtimeSeconds=+2").exit()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void aMetricNotApplyingToARunIsNaAndPasses() {
        Ran ran = diff("--gate", "rollbackSeconds=+0");

        assertThat(ran.exit()).isEqualTo(Main.EXIT_OK);
        assertThat(ran.out()).containsPattern("rollbackSeconds +\\+0 +n/a -> 0\\.42 \\(n/a\\) +passed");
    }

    @Test
    void unknownMetricOrBadBoundIsBadInputNamingTheValidMetrics() {
        Ran unknown = diff("--gate", "p95=+10%");
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err()).contains("--gate p95=+10%: unknown metric 'p95'", "latencyP95Ms", "downtimeSeconds")
            .doesNotContain("Exception");
        assertThat(unknown.out()).isEmpty();
        Ran bad = diff("--gate", "latencyP95Ms=ten");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("--gate latencyP95Ms=ten: expected METRIC=+10%");
    }

    @Test
    void unreadableRunIsBadInputNamingTheFile() throws Exception {
        Files.writeString(candidate, "{\"schemaVersion\": 2}");

        Ran ran = diff();

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err().strip()).isEqualTo(candidate + ": schemaVersion 2 is not supported (this rollout-lab "
            + "reads schemaVersion 1)");
    }

    @Test
    void writesTheDiffAsMarkdown() throws Exception {
        Path md = dir.resolve("diff/diff.md");

        Ran ran = diff("--gate", "latencyP95Ms=+5%", "--markdown", md.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).contains("wrote " + md);
        assertThat(Files.readString(md)).startsWith("## ❌ Run diff, 1 of 1 gates failed")
            .contains("| latencyP95Ms | 2.6 | 2.86 | +0.26 | +10.00% |",
                "| latencyP95Ms | +5% | 2.6 -> 2.86 (+10.00%) | ❌ failed |");
    }
}
