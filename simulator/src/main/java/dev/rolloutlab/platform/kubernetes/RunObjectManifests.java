package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.RollingUpdateSpec;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.StrategySpec;
import dev.rolloutlab.scenario.StrategyType;
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
        StrategySpec strategy = scenario.strategy();
        TrafficRouter router = TrafficRouters.of(scenario);
        String stable = scenario.service().stable().version();
        int n = scenario.service().replicas();
        int cells = strategy instanceof CellBasedSpec cellBased ? cellBased.cells() : 1;
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
    private static void rollout(StrategySpec strategy, RunObjectBuilder objects, String candidate,
                                List<Deployment> stableSets, List<Manifest> out) {
        String type = strategy.type().yamlName();
        switch (strategy.type()) {
            case RECREATE, ROLLING, HOT_PATCH -> {
                DeploymentUpdate how = strategy instanceof RollingUpdateSpec rolling
                    ? new DeploymentUpdate(DeploymentUpdate.Type.ROLLING_UPDATE, rolling.maxSurge(),
                        rolling.maxUnavailable(), rolling.progressDeadline(), rolling.type() == StrategyType.HOT_PATCH)
                    : new DeploymentUpdate(DeploymentUpdate.Type.RECREATE, null, null, strategy.progressDeadline(),
                        false);
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
                    out.add(new Manifest("rollout (" + type + "): the Deployment updated in place", updated));
                }
            }
            default -> {
                for (Deployment d : stableSets) {
                    ReplicaSet set = new ReplicaSet(candidate, cellOf(d));
                    out.add(new Manifest("rollout (" + type + "): the candidate, scaled by the strategy",
                        objects.deployment(objects.deploymentName(set, false), set, 0)));
                }
                if (strategy.type() == StrategyType.BLUE_GREEN) {
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
