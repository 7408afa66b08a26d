package dev.rolloutlab.cli;

import dev.rolloutlab.platform.kubernetes.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.reports.output.FolderLock;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", description = {"Runs one scenario and writes its result and reports.",
    "Writes result.json, summary.md, report.html and junit.xml into the output folder.",
    "Exit codes: 0 gates passed, 1 a gate failed, 2 bad input, 3 the run failed, 130 interrupted."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "the scenario file")
    Path file;

    @Option(names = "--platform", paramLabel = "local|kubernetes", description = "overrides the scenario's platform")
    String platform;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default reports/out/<scenario>/<start time>/, with latest pointing at the newest)")
    Path out;

    @Option(names = "--set", paramLabel = "key=value", description = "overrides a scenario key, e.g. load.rate=500/s")
    List<String> sets = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", description = "runs it N times (overrides repeat:); gates on medians")
    Integer repeat;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> overrides = new ArrayList<>(sets);
        if (platform != null) {
            overrides.add("platform=" + platform);
        }
        if (repeat != null) {
            overrides.add("repeat=" + repeat);
        }
        Scenario scenario = ScenarioLoader.load(file, overrides);
        RunInput input = new RunInput(file.toString(), commandLine(spec),
            ScenarioLoader.effectiveDocument(file, overrides));
        RunExecutor.Output output = out != null ? RunExecutor.Output.given(out)
            : RunExecutor.Output.timestamped(Path.of("reports", "out", scenario.name()));
        KubernetesClient client = cluster.connectFor(List.of(scenario));
        try (FolderLock lock = output.claim(spec.commandLine().getErr())) {
            return RepeatExecutor.execute(scenario, client, output, spec.commandLine().getOut(), input);
        } finally {
            KubernetesClients.close(client);
        }
    }

    /** The command line as typed, for result.json: {@code rollout-lab} and every argument picocli was given. */
    static List<String> commandLine(CommandSpec spec) {
        List<String> line = new ArrayList<>(List.of("rollout-lab"));
        line.addAll(spec.commandLine().getParseResult().originalArgs());
        return line;
    }
}
