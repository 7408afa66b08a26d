package dev.rolloutlab.cli;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.mesh.ChaosMeshFaults;
import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.ChaosMeta;
import dev.rolloutlab.chaos.mesh.ChaosObject;
import dev.rolloutlab.chaos.mesh.Selector;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioException;
import dev.rolloutlab.scenario.ScenarioLoader;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout-lab manifests}: prints the Chaos Mesh objects a Kubernetes run of a scenario would create, as one
 * YAML stream, so they can be reviewed, diffed or applied by hand ({@code kubectl apply -f -}) without running.
 */
@Command(name = "manifests", description = {"Prints the Chaos Mesh objects a Kubernetes run would create (YAML).",
    "Exit codes: 0 printed, 2 bad input."})
final class ManifestsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "the scenario file")
    Path file;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
        description = "namespace of the run (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--run-id", paramLabel = "ID", description = "run id in names and labels (default: a fresh one)")
    String runId;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
        description = "container port that HTTP faults intercept (default: ${DEFAULT-VALUE})")
    int port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(file);
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        String run = runId != null ? runId : ChaosMeshInjector.newRunId();
        try {
            ChaosMeta.requireRunId(run);
        } catch (IllegalArgumentException e) {
            err.println("rollout-lab: --run-id: " + e.getMessage());
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        Selector selector = new Selector(namespace, scenario.name(), scenario.service().stable().version(),
            scenario.service().candidate() == null ? null : scenario.service().candidate().version(), port);
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Chaos Mesh objects of scenario ").append(scenario.name()).append(", run ").append(run)
            .append(", namespace ").append(namespace).append(System.lineSeparator());
        List<Fault> faults = scenario.faults();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            List<ChaosObject> objects;
            try {
                objects = ChaosMeshFaults.objectsFor(f, selector, run, namespace, i + 1);
            } catch (IllegalArgumentException e) {
                err.println(file + ": faults." + i + ": " + e.getMessage());
                err.flush();
                return Main.EXIT_BAD_INPUT;
            }
            for (ChaosObject o : objects) {
                yaml.append("---").append(System.lineSeparator())
                    .append("# fault ").append(i + 1).append(": at ").append(Durations.format(f.at())).append(", ")
                    .append(f.type().yamlName()).append(", target ").append(f.target()).append(System.lineSeparator())
                    .append(Serialization.asYaml(o.toResource()).replaceFirst("^---\\R", ""));
            }
        }
        out.print(yaml);
        out.flush();
        return Main.EXIT_OK;
    }
}
