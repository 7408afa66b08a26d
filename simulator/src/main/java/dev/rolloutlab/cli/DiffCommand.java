package dev.rolloutlab.cli;

import dev.rolloutlab.repeat.RepeatJson;
import dev.rolloutlab.repeat.RepeatReports;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.OutputFile;
import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.reports.RunDiff;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab diff}: a candidate run against a baseline run, metric by metric, with gates on the change, so CI
 * can fail a pull request whose rollout got worse than main's without a fixed bound tuned to the runner. Either side
 * may be a repeat ({@code run --repeat N}): then medians are compared and a gate fails only on a significant change.
 */
// Picocli formats descriptions: a literal percent sign is %%.
@Command(name = "diff", description = {"Compares two runs metric by metric and checks gates on the change.",
    "Each side is a result.json, a repeat.json (run --repeat N) or the folder holding one.",
    "Prints every gate metric's baseline, candidate, absolute and relative change.",
    "A gate bounds a change: --gate latencyP95Ms=+10%% (at most 10%% up), --gate downtimeSeconds=+0.5 (at most "
        + "0.5 up), --gate achievedRate=-5%% (at most 5%% down); no sign means up. A metric n/a in either run passes.",
    "With repeats a gate fails only when the medians moved beyond its bound and a Mann-Whitney test finds the "
        + "change significant (p < --alpha); single runs are checked on the bound alone.",
    "Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 cannot write the Markdown file."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASELINE", description = "the run(s) to compare against: a result.json, "
        + "a repeat.json or a run folder")
    Path baselineFile;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "the run(s) under test, as BASELINE")
    Path candidateFile;

    @Option(names = "--alpha", paramLabel = "P", description = "significance level of a change (default 0.05)")
    double alpha = RunDiff.ALPHA;

    @Option(names = "--gate", paramLabel = "metric=maxIncrease",
        description = "how far a metric may move: +10%%, +0.5, -5%%; repeatable")
    List<String> gateSpecs = new ArrayList<>();

    @Option(names = "--markdown", paramLabel = "FILE", description = "also writes the diff as Markdown")
    Path markdown;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<RunDiff.DeltaGate> gates = new ArrayList<>();
        for (String g : gateSpecs) {
            try {
                gates.add(RunDiff.DeltaGate.parse(g));
            } catch (IllegalArgumentException e) {
                problems.add("rollout-lab: --gate " + g + ": " + e.getMessage());
            }
        }
        if (!(alpha > 0 && alpha < 1)) {
            problems.add("rollout-lab: --alpha " + alpha + ": must be between 0 and 1 (exclusive), e.g. 0.05");
        }
        List<RunDiff.Side> sides = new ArrayList<>();
        for (Path f : List.of(baselineFile, candidateFile)) {
            try {
                sides.add(side(f));
            } catch (ResultFormatException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInput(problems);
        }
        PrintWriter out = spec.commandLine().getOut();
        RunDiff diff = new RunDiff(sides.get(0), sides.get(1), gates, alpha);
        out.print(diff.text());
        if (markdown != null) {
            out.println("wrote " + OutputFile.writeAtomically(markdown, diff.markdown()));
        }
        out.flush();
        return diff.passed() ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
    }

    /** A run or a repeat, from its file or from the folder {@code run} wrote it to. */
    private static RunDiff.Side side(Path given) {
        Path file = given;
        if (Files.isDirectory(given)) {
            Path repeat = given.resolve(RepeatReports.REPEAT_JSON);
            Path single = given.resolve(RunReports.RESULT_JSON);
            if (Files.exists(repeat) == Files.exists(single)) {
                throw new ResultFormatException(given + ": " + (Files.exists(repeat)
                    ? "holds both " + RepeatReports.REPEAT_JSON + " and " + RunReports.RESULT_JSON + "; name the file "
                        + "to compare" : "holds neither " + RepeatReports.REPEAT_JSON + " nor " + RunReports.RESULT_JSON));
            }
            file = Files.exists(repeat) ? repeat : single;
        }
        return RepeatJson.isRepeat(file) ? RepeatJson.read(file).side() : RunDiff.Side.of(ResultJson.read(file));
    }
}
