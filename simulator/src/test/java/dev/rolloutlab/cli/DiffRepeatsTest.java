package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.repeat.RepeatReports;
import dev.rolloutlab.repeat.RepeatSummary;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diff} of repeats: folders or repeat.json files, medians, the test, and the gate only on a real change. */
class DiffRepeatsTest {
    @TempDir
    Path dir;

    private static RunResult run(double p95) {
        Metrics m = new Metrics(60000, 0, 0, 0, 0, 0, null, null, null, null, BlastRadius.NONE, null, null, null,
            new LatencyMs(1.0, 2.0, p95, 5.0, 9.0, 30.0), Map.of("v1", 60000L), new FailuresByCause(0, 0, 0, 0, 0, 0),
            null);
        return new RunResult(RunResult.SCHEMA_VERSION, "steady", "none", "local", Instant.parse("2026-11-22T10:00:00Z"),
            "completed", m, new GeneratorStats(1000, 1000, 1, false, 0), List.of(), List.of(), List.of(), List.of());
    }

    /** A repeat folder as {@code run --repeat} leaves it: the runs' folders and the summary. */
    private Path repeat(String name, double... p95s) {
        Path folder = dir.resolve(name);
        List<RunResult> runs = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < p95s.length; i++) {
            runs.add(run(p95s[i]));
            folders.add("run-" + (i + 1));
            ResultJson.write(runs.get(i), folder.resolve("run-" + (i + 1) + "/result.json"));
        }
        RepeatReports.writeAll(RepeatSummary.of(runs, folders, Map.of()), folder);
        return folder;
    }

    @Test
    void identicalConfigurationsWithNoisyRunsPassAGateTheirMediansExceed() {
        // Medians 2.6 and 3.0 (+15 %) from overlapping runs: a single-run diff of the worst pair would fail +10 %.
        Path baseline = repeat("baseline", 2.0, 2.6, 3.4, 2.2, 3.1);
        Path candidate = repeat("candidate", 2.1, 3.0, 3.5, 2.4, 3.3);

        Cli ran = Cli.run("diff", baseline.toString(), candidate.toString(), "--gate", "latencyP95Ms=+10%");

        assertThat(ran.exit()).as(ran.out() + ran.err()).isEqualTo(Main.EXIT_OK);
        assertThat(ran.out()).contains("steady (none, completed, 5 runs, started 2026-11-22T10:00:00Z)")
            .containsPattern("gate +latencyP95Ms +\\+10% +2\\.6 -> 3 \\(\\+15\\.38%\\) +p=0\\.\\d+ +not significant +passed");
    }

    @Test
    void aShiftedCandidateIsChangedAndFailsFromTheRepeatFiles() {
        Path baseline = repeat("baseline", 2.0, 2.6, 2.4, 2.2, 2.5).resolve("repeat.json");
        Path candidate = repeat("candidate", 3.1, 3.6, 3.2, 3.9, 3.3).resolve("repeat.json");

        Cli ran = Cli.run("diff", baseline.toString(), candidate.toString(), "--gate", "latencyP95Ms=+10%");

        assertThat(ran.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).containsPattern("p=0\\.008 +changed +FAILED");
    }

    @Test
    void aRepeatAgainstOneRunSaysTheTestCannotReachSignificance() {
        Path baseline = repeat("baseline", 2.0, 2.6, 2.4, 2.2, 2.5);
        Path single = dir.resolve("single/result.json");
        ResultJson.write(run(3.3), single);

        Cli ran = Cli.run("diff", baseline.toString(), single.getParent().toString(), "--gate", "latencyP95Ms=+10%");

        assertThat(ran.exit()).isEqualTo(Main.EXIT_GATE_FAILED);
        assertThat(ran.out()).contains("Medians of 5 baseline and 1 candidate runs. The Mann-Whitney test cannot reach "
            + "p < 0.05 with so few runs (the smallest p possible is 0.333)");
    }

    @Test
    void aFolderWithBothFilesOrNeitherIsBadInputNamingIt() {
        Path both = repeat("both", 2.0, 2.1);
        ResultJson.write(run(2.0), both.resolve("result.json"));
        Path empty = dir.resolve("empty");
        empty.toFile().mkdirs();

        Cli ran = Cli.run("diff", both.toString(), empty.toString());

        assertThat(ran.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(ran.err()).contains(both + ": holds both repeat.json and result.json; name the file to compare",
            empty + ": holds neither repeat.json nor result.json").doesNotContain("Exception");
        Cli alpha = Cli.run("diff", both.resolve("repeat.json").toString(), both.resolve("repeat.json").toString(),
            "--alpha", "1.5");
        assertThat(alpha.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(alpha.err()).contains("--alpha 1.5: must be between 0 and 1");
    }
}
