package dev.rolloutlab.cli;

import dev.rolloutlab.platform.kubernetes.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.reports.output.FolderLock;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioException;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", description = {"Runs several scenarios one after the other and compares them.",
    "Runs each scenario once and prints the metrics side by side, with the claims of the scenarios that declare them "
        + "(claims: seed) beside their measurements.",
    "Writes DIR/<scenario>/ (result.json and its reports) for each run, and DIR/compare.md, compare.html and "
        + "junit.xml (a test suite per run)."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SCENARIO.yaml", description = "scenarios to compare (same load)")
    List<Path> files;

    @Option(names = "--out", paramLabel = "DIR",
        description = "output folder (default reports/out/compare/<start time>/, with latest pointing at the newest)")
    Path out;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Scenario> scenarios = load();
        warnOnDifferentLoads(scenarios, spec.commandLine().getErr());
        RunExecutor.Output output = out != null ? RunExecutor.Output.given(out)
            : RunExecutor.Output.timestamped(Path.of("reports", "out", "compare"));
        KubernetesClient client = cluster.connectFor(scenarios);
        try (FolderLock lock = output.claim(spec.commandLine().getErr())) {
            return compare(scenarios, client, output, spec.commandLine().getOut());
        } finally {
            KubernetesClients.close(client);
        }
    }

    /**
     * Every scenario, or every problem of every file before anything runs, a name used twice included (each run
     * writes to the folder of its name).
     */
    private List<Scenario> load() {
        List<Scenario> scenarios = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                scenarios.add(ScenarioLoader.load(f));
            } catch (ScenarioException e) {
                problems.addAll(e.errors());
            }
        }
        Set<String> names = new HashSet<>();
        Set<String> comparisonFiles = Set.of(RunReports.COMPARE_MD, RunReports.COMPARE_HTML, RunReports.JUNIT_XML,
            "latest");
        for (Scenario s : scenarios) {
            if (comparisonFiles.contains(s.name())) {
                problems.add(s.source() + ": name: '" + s.name() + "' is the name of a file of the comparison; its "
                    + "run folder would take its place");
            }
            if (!names.add(s.name())) {
                problems.add(s.source() + ": name: '" + s.name() + "' is used by another scenario of this "
                    + "comparison; each run needs its own output folder");
            }
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return scenarios;
    }

    private int compare(List<Scenario> scenarios, KubernetesClient client, RunExecutor.Output output,
                        PrintWriter stdout) {
        List<RunResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            RunResult r = run(s, client, output.dir(), stdout);
            results.add(r);
            if (ExitCodes.aborted(r)) {
                break;
            }
        }
        List<Path> written = RunReports.writeCompare(results, output.dir());
        output.published(stdout);
        stdout.println();
        stdout.print(new CompareTable(results).text());
        written.forEach(f -> stdout.println("wrote " + f));
        stdout.flush();
        return ExitCodes.ofComparison(results);
    }

    /** One run of the comparison; a failure names the scenario, as the runs before it went well. */
    private RunResult run(Scenario s, KubernetesClient client, Path dir, PrintWriter stdout) {
        RunInput input = new RunInput(s.source().toString(), RunCommand.commandLine(spec),
            ScenarioLoader.effectiveDocument(s.source(), List.of()));
        try {
            return RunExecutor.runAndWrite(s, RunExecutor.deploysOnKubernetes(s) ? client : null,
                new RunExecutor.Output(dir.resolve(s.name()), false), stdout, input);
        } catch (RunFailure e) {
            throw new CouldNotFinish("rollout-lab: run of " + s.source() + " failed: " + e.getMessage(), e);
        }
    }

    /** A comparison is fair only under the same load; say so when the files differ. */
    private static void warnOnDifferentLoads(List<Scenario> scenarios, PrintWriter err) {
        Scenario first = scenarios.get(0);
        for (Scenario s : scenarios.subList(1, scenarios.size())) {
            if (!s.load().equals(first.load())) {
                err.println("rollout-lab: warning: " + s.source() + " has another load than " + first.source()
                    + "; the comparison is not like for like");
            }
        }
    }
}
