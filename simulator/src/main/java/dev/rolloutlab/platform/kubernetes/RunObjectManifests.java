package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.Strategy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every object {@link RunObjectBuilder} builds for a run of a scenario, in the order the run applies them, for
 * {@code rollout-lab manifests}: what the platform creates at start, the routing objects, and what the strategy adds
 * or changes during the rollout. Chaos Mesh objects are listed by the caller, per fault.
 */
public final class RunObjectManifests {
    /** One object and when the run applies it. */
    public record Manifest(String when, HasMetadata object) {
    }

    private RunObjectManifests() {
    }

    public static List<Manifest> of(Scenario scenario, RunObjectBuilder objects, boolean ownNamespace) {
        List<Manifest> out = new ArrayList<>();
        Strategy strategy = scenario.strategy();
        TrafficRouter router = TrafficRouters.of(scenario);
        String stable = scenario.service().stable().version();
        int n = scenario.service().replicas();
        int cells = strategy != null && strategy.cells() != null ? strategy.cells() : 1;
        if (ownNamespace) {
            out.add(new Manifest("start", objects.namespaceObject(router.namespaceLabels())));
        }
        out.add(new Manifest("start", objects.mainService()));
        router.startObjects(objects).forEach(o -> out.add(new Manifest("start", o)));
        List<Deployment> stableSets = new ArrayList<>();
        ReplicaSet.spread(stable, n, cells).forEach((set, replicas) -> {
            Deployment d = objects.deployment(objects.deploymentName(set, true), set, replicas);
            stableSets.add(d);
            out.add(new Manifest("start", d));
        });
        if (strategy != null) {
            rollout(strategy, objects, scenario.service().candidate().version(), stableSets, out);
        }
        return out;
    }

    /** What the strategy applies: an in-place update of the stable Deployments, or the candidate's own ones. */
    private static void rollout(Strategy strategy, RunObjectBuilder objects, String candidate,
                                List<Deployment> stableSets, List<Manifest> out) {
        switch (strategy.type()) {
            case "recreate", "rolling", "hot-patch" -> {
                DeploymentUpdate how = new DeploymentUpdate(strategy.type().equals("recreate")
                    ? DeploymentUpdate.Type.RECREATE : DeploymentUpdate.Type.ROLLING_UPDATE, strategy.maxSurge(),
                    strategy.maxUnavailable(), strategy.progressDeadline(), strategy.type().equals("hot-patch"));
                for (Deployment d : stableSets) {
                    String name = d.getMetadata().getName();
                    int cell = cellOf(d);
                    Deployment updated = objects.deployment(name, new ReplicaSet(candidate, cell),
                        d.getSpec().getReplicas());
                    updated.getSpec().setStrategy(RunObjectBuilder.strategy(how));
                    if (how.restart()) {
                        updated.getSpec().getTemplate().getMetadata().setAnnotations(
                            java.util.Map.of(RunObjectBuilder.RESTARTED_AT, "<time of the restart>"));
                    }
                    out.add(new Manifest("rollout (" + strategy.type() + "): the Deployment updated in place", updated));
                }
            }
            default -> {
                for (Deployment d : stableSets) {
                    ReplicaSet set = new ReplicaSet(candidate, cellOf(d));
                    out.add(new Manifest("rollout (" + strategy.type() + "): the candidate, scaled by the strategy",
                        objects.deployment(objects.deploymentName(set, false), set, 0)));
                }
                if (strategy.type().equals("blue-green")) {
                    out.add(new Manifest("rollout (blue-green): the preview Service",
                        objects.versionService(objects.previewServiceName(), candidate)));
                }
            }
        }
    }

    private static int cellOf(Deployment d) {
        String cell = d.getSpec().getTemplate().getMetadata().getLabels().get(RunObjectBuilder.CELL_LABEL);
        return cell == null ? 0 : Integer.parseInt(cell);
    }
}
