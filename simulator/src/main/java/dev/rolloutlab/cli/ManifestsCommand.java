package dev.rolloutlab.cli;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.mesh.ChaosMeshFaults;
import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.ChaosMeta;
import dev.rolloutlab.chaos.mesh.ChaosObject;
import dev.rolloutlab.chaos.mesh.RunPods;
import dev.rolloutlab.platform.kubernetes.RunObjectManifests;
import dev.rolloutlab.platform.kubernetes.RunRbac;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioLoader;
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * {@code rollout-lab manifests}: prints every object a Kubernetes run of a scenario would apply (namespace, Services,
 * Deployments, mesh or gateway routes, Chaos Mesh objects) as one YAML stream, each with a comment saying when the
 * run applies it, so they can be reviewed, diffed or applied by hand ({@code kubectl apply -f -}) without running.
 */
@Command(name = "manifests", description = {"Prints the objects a Kubernetes run would apply, without running it.",
    "Every Kubernetes and Chaos Mesh object, as YAML.", "Exit codes: 0 printed, 2 bad input."})
final class ManifestsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "the scenario file")
    Path file;

    @Option(names = "--platform", paramLabel = "kubernetes", defaultValue = "kubernetes",
        description = "the platform whose objects to print; only kubernetes has any (default: ${DEFAULT-VALUE})")
    String platform;

    @Option(names = "--namespace", paramLabel = "NS",
        description = "namespace of the run (default: kubernetes.namespace, else a fresh rl-<run id>)")
    String namespace;

    @Option(names = "--run-id", paramLabel = "ID", description = "run id in names and labels (default: a fresh one)")
    String runId;

    @Option(names = "--rbac", description = "print the Role (namespace given) or ClusterRole (a namespace per run) "
        + "the identity running rollout-lab needs, instead of the objects")
    boolean rbac;

    @Option(names = "--set", paramLabel = "key=value", description = "overrides a scenario key")
    List<String> sets = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!"kubernetes".equals(platform)) {
            throw new BadInput("rollout-lab: --platform: only kubernetes runs apply objects, got \"" + platform + "\"");
        }
        List<String> overrides = new ArrayList<>(sets);
        overrides.add("platform=kubernetes");
        Scenario scenario = ScenarioLoader.load(file, overrides);
        if (scenario.load().target() != null) {
            throw new BadInput(file + ": load.target: a run against an external service deploys nothing; remove it "
                + "to print what a kubernetes run deploys");
        }
        String run = runId != null ? runId : ChaosMeshInjector.newRunId();
        try {
            ChaosMeta.requireRunId(run);
        } catch (IllegalArgumentException e) {
            throw new BadInput("rollout-lab: --run-id: " + e.getMessage());
        }
        String given = namespace != null ? namespace : scenario.kubernetes().namespace();
        String ns = given != null ? given : RunObjectBuilder.runNamespace(run);
        RunObjectBuilder objects = new RunObjectBuilder(scenario, ns, run);
        StringBuilder yaml = new StringBuilder();
        String nl = System.lineSeparator();
        if (rbac) {
            yaml.append("# rights a run of scenario ").append(scenario.name()).append(" needs; bind them to the identity ")
                .append("of your kubeconfig context").append(nl);
            document(yaml, given != null ? "in namespace " + given : "cluster-wide: each run makes its own namespace",
                RunRbac.role(scenario, given, "rollout-lab-" + scenario.name()));
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
        yaml.append("# objects of scenario ").append(scenario.name()).append(", run ").append(run)
            .append(", namespace ").append(ns).append(nl);
        for (RunObjectManifests.Manifest m : RunObjectManifests.of(scenario, objects, given == null)) {
            document(yaml, "applied at " + m.when(), m.object());
        }
        RunPods pods = objects.runPods();
        List<Fault> faults = scenario.faults();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            List<ChaosObject> chaos;
            try {
                chaos = ChaosMeshFaults.objectsFor(f, pods, run, ns, i + 1);
            } catch (IllegalArgumentException e) {
                throw new BadInput(file + ": faults." + i + ": " + e.getMessage());
            }
            for (ChaosObject o : chaos) {
                document(yaml, "fault " + (i + 1) + ": at " + Durations.format(f.at()) + ", " + f.type().yamlName()
                    + ", target " + f.target(), o.toResource());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(yaml);
        out.flush();
        return Main.EXIT_OK;
    }

    private static void document(StringBuilder yaml, String comment, Object object) {
        String nl = System.lineSeparator();
        yaml.append("---").append(nl).append("# ").append(comment).append(nl)
            .append(Serialization.asYaml(object).replaceFirst("^---\\R", ""));
    }
}
