package dev.rolloutlab.platform.kubernetes.routing.selector;

import static io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT;

import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.RouteChange;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.scenario.Kubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.List;
import java.util.Map;

/**
 * Routing by the run's Service selector alone, as plain Kubernetes does. The Service selects every pod of the app,
 * whatever its version, so traffic follows the replica counts: cells are Deployments the Service spans, and a weight
 * without a mesh or gateway is the replica ratio the strategy sets by scaling. For blue-green it selects one
 * version only, and the preview Service the other. The mesh and gateway routers route all but weights this way too.
 */
public final class SelectorRouter implements TrafficRouter {
    @Override
    public Map<String, String> namespaceLabels() {
        return Map.of();
    }

    /** The run's Service's NodePort. */
    @Override
    public int ingressPort(Kubernetes settings) {
        return settings.nodePort();
    }

    @Override
    public String ingressName() {
        return "the run's Service's NodePort (kind-config/cluster.yaml maps it to the host; on the loopback control "
            + "plane, `rollout-lab node-agent` serves it)";
    }

    /** Nothing: the Service it switches is the run's own, created before any router's objects. */
    @Override
    public List<HasMetadata> startObjects(RunObjectBuilder objects) {
        return List.of();
    }

    @Override
    public void start(KubernetesClient client, RunObjectBuilder objects) {
    }

    @Override
    public List<RouteChange> route(RunObjectBuilder objects, Routing routing) {
        if (!(routing instanceof Routing.Selector selector)) {
            return List.of(select(objects, null));
        }
        String stable = objects.stableVersion();
        String other = selector.version().equals(stable) ? objects.candidateVersion() : stable;
        Service preview = objects.versionService(objects.previewServiceName(), other);
        return List.of(select(objects, selector.version()), new RouteChange("point the preview Service at " + other,
            client -> client.services().resource(preview).fieldValidation(STRICT).createOr(NonDeletingOperation::update)));
    }

    /** The run's Service selecting the pods of {@code version}, or every pod of the app for {@code null}. */
    private static RouteChange select(RunObjectBuilder objects, String version) {
        Map<String, String> selector = objects.selector(version);
        return new RouteChange("set the Service selector", client -> client.services()
            .inNamespace(objects.namespace()).withName(objects.app()).fieldValidation(STRICT).edit(s -> {
                s.getSpec().setSelector(selector);
                return s;
            }));
    }

    /** None: a selector has no kind of its own, and the Services it switches go with the run's other Services. */
    @Override
    public int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels) {
        return 0;
    }
}
