package dev.rolloutlab.cli;

import dev.rolloutlab.platform.kubernetes.ContextGuard;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.reports.output.RunReports;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioException;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

@Command(name = "compare", description = {"Runs each scenario once, one after the other, and prints the seed table",
    "(claims beside measured downtime, rollback time and overhead) and the metrics side by side.",
    "Writes DIR/<scenario>/ (result.json and its reports) for each run, and DIR/compare.md and compare.html."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SCENARIO.yaml", description = "scenarios to compare (same load)")
    List<Path> files;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default reports/out/compare/)")
    Path out = Path.of("reports", "out", "compare");

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Scenario> scenarios = new ArrayList<>();
        boolean bad = false;
        for (Path f : files) {
            try {
                scenarios.add(ScenarioLoader.load(f));
            } catch (ScenarioException e) {
                stderr.println(e.getMessage());
                bad = true;
            }
        }
        Set<String> names = new HashSet<>();
        for (Scenario s : scenarios) {
            if (!names.add(s.name())) {
                stderr.println(s.source() + ": name: '" + s.name() + "' is used by another scenario of this "
                    + "comparison; each run needs its own output folder");
                bad = true;
            }
        }
        if (bad) {
            return Main.EXIT_BAD_INPUT;
        }
        warnOnDifferentLoads(scenarios, stderr);
        try (KubernetesClient client = cluster.connectFor(scenarios)) {
            return compare(scenarios, client, stdout, stderr);
        } catch (ContextGuard.Refused e) {
            stderr.println("rollout-lab: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
    }

    private int compare(List<Scenario> scenarios, KubernetesClient client, PrintWriter stdout, PrintWriter stderr) {
        List<RunResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            try {
                RunResult r = RunExecutor.runAndWrite(s, RunExecutor.deploysOnKubernetes(s) ? client : null,
                    out.resolve(s.name()), stdout);
                results.add(r);
                if ("aborted".equals(r.outcome())) {
                    break;
                }
            } catch (RunFailure e) {
                stderr.println("rollout-lab: run of " + s.source() + " failed: " + e.getMessage());
                return Main.EXIT_RUN_FAILED;
            }
        }
        List<Path> written;
        try {
            written = RunReports.writeCompare(results, out);
        } catch (UncheckedIOException e) {
            stderr.println("rollout-lab: " + e.getMessage());
            return Main.EXIT_RUN_FAILED;
        }
        stdout.println();
        stdout.print(new CompareTable(results).text());
        written.forEach(f -> stdout.println("wrote " + f));
        stdout.flush();
        if (results.stream().anyMatch(r -> "aborted".equals(r.outcome()))) {
            return Main.EXIT_INTERRUPTED;
        }
        return results.stream().allMatch(RunResult::gatesPassed) ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
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
