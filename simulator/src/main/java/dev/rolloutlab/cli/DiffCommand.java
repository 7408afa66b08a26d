package dev.rolloutlab.cli;

import dev.rolloutlab.result.OutputFile;
import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.reports.RunDiff;
import dev.rolloutlab.result.RunResult;
import java.io.PrintWriter;
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
 * can fail a pull request whose rollout got worse than main's without a fixed bound tuned to the runner.
 */
// Picocli formats descriptions: a literal percent sign is %%.
@Command(name = "diff", description = {"Compares two runs metric by metric and checks gates on the change.",
    "Prints every gate metric's baseline, candidate, absolute and relative change.",
    "A gate bounds a change: --gate latencyP95Ms=+10%% (at most 10%% up), --gate downtimeSeconds=+0.5 (at most "
        + "0.5 up), --gate achievedRate=-5%% (at most 5%% down); no sign means up. A metric n/a in either run passes.",
    "Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 cannot write the Markdown file."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASELINE.json", description = "the run to compare against")
    Path baselineFile;

    @Parameters(index = "1", paramLabel = "CANDIDATE.json", description = "the run under test")
    Path candidateFile;

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
        List<RunResult> runs = new ArrayList<>();
        for (Path f : List.of(baselineFile, candidateFile)) {
            try {
                runs.add(ResultJson.read(f));
            } catch (ResultFormatException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInput(problems);
        }
        PrintWriter out = spec.commandLine().getOut();
        RunDiff diff = new RunDiff(runs.get(0), runs.get(1), gates);
        out.print(diff.text());
        if (markdown != null) {
            out.println("wrote " + OutputFile.writeAtomically(markdown, diff.markdown()));
        }
        out.flush();
        return diff.passed() ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
    }
}
