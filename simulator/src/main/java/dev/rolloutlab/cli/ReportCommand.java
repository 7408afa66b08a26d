package dev.rolloutlab.cli;

import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.reports.output.RunFolder;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab report}: renders the reports again from the recorded result.json, without running anything, so
 * a newer rollout-lab can re-render old runs and a CI job can render a result.json it downloaded. result.json itself
 * is only read.
 */
@Command(name = "report", description = {"Re-renders a run's reports from its result.json.",
    "Writes summary.md, report.html and junit.xml from DIR/result.json, which it only reads.",
    "For a compare folder (DIR/compare.md, DIR/<scenario>/result.json) re-renders each run and compare.md/.html.",
    "Exit codes: 0 rendered, 2 no readable result.json (the message names the file), 3 cannot write."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "a run's or a comparison's output folder")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        dir = RunFolder.newestIn(dir);
        if (!Files.isDirectory(dir)) {
            throw new BadInput(dir + ": no such folder");
        }
        List<Path> runDirs = runDirs();
        List<RunResult> results = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path d : runDirs) {
            try {
                results.add(ResultJson.read(d.resolve(RunReports.RESULT_JSON)));
            } catch (ResultFormatException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            throw new BadInput(unreadable);
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            written.addAll(RunReports.writeRenderings(results.get(i), runDirs.get(i)));
        }
        if (!runDirs.equals(List.of(dir))) {
            // Runs of a comparison ran one after the other: their start times restore the command line's order.
            List<RunResult> ordered = results.stream().sorted(Comparator.comparing(RunResult::startedAt,
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))).toList();
            written.addAll(RunReports.writeCompare(ordered, dir));
        }
        PrintWriter out = spec.commandLine().getOut();
        written.forEach(f -> out.println("wrote " + f));
        out.flush();
        return Main.EXIT_OK;
    }

    /**
     * DIR itself when it holds a result.json (or nothing tells it is a comparison, so the missing file is named);
     * otherwise, for a compare folder (compare.md or several run folders), each DIR/<scenario> with a result.json.
     */
    private List<Path> runDirs() {
        if (Files.exists(dir.resolve(RunReports.RESULT_JSON))) {
            return List.of(dir);
        }
        List<Path> runs;
        try (Stream<Path> children = Files.list(dir)) {
            runs = children.filter(d -> Files.isRegularFile(d.resolve(RunReports.RESULT_JSON))).sorted().toList();
        } catch (IOException e) {
            throw new BadInput(dir + ": cannot list: " + e.getMessage());
        }
        boolean compare = Files.exists(dir.resolve(RunReports.COMPARE_MD)) ? !runs.isEmpty() : runs.size() > 1;
        return compare ? runs : List.of(dir);
    }
}
