package dev.rolloutlab.platform.kubernetes.routing.gatewayapi;

import static io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT;

import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import dev.rolloutlab.platform.kubernetes.routing.LabelledDeletion;
import dev.rolloutlab.platform.kubernetes.routing.RouteChange;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.platform.kubernetes.routing.selector.SelectorRouter;
import dev.rolloutlab.scenario.Kubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.List;
import java.util.Map;

/**
 * Canary traffic splitting through the Gateway API: one {@code HTTPRoute} attached to the run's Gateway weights
 * traffic between the {@code <app>-stable} and {@code <app>-canary} Services, which it creates at start. Unlike Istio
 * it needs no subsets, because each version has its own Service. All but weights goes by the run's Service selector
 * ({@link SelectorRouter}).
 */
public final class GatewayApiRouter implements TrafficRouter {
    private final SelectorRouter selector = new SelectorRouter();

    @Override
    public Map<String, String> namespaceLabels() {
        return Map.of();
    }

    /** The Gateway's NodePort. */
    @Override
    public int ingressPort(Kubernetes settings) {
        return Kubernetes.GATEWAY_API_PORT;
    }

    @Override
    public String ingressName() {
        return "the Gateway's listener on NodePort " + Kubernetes.GATEWAY_API_PORT + ", served by a Gateway API "
            + "implementation (kind-config/up.sh --istio --gateway-api installs one)";
    }

    /** The stable and canary Services, then the HTTPRoute between them. */
    @Override
    public List<HasMetadata> startObjects(RunObjectBuilder objects) {
        TrafficSplit split = objects.trafficSplit();
        return List.of(objects.versionService(split.stableService(), split.stable()),
            objects.versionService(split.canaryService(), split.candidate()), route(split, 0));
    }

    @Override
    public void start(KubernetesClient client, RunObjectBuilder objects) {
        TrafficSplit split = objects.trafficSplit();
        client.services().resource(objects.versionService(split.stableService(), split.stable())).fieldValidation(STRICT).create();
        client.services().resource(objects.versionService(split.canaryService(), split.candidate())).fieldValidation(STRICT).create();
        apply(client, split, 0);
    }

    @Override
    public List<RouteChange> route(RunObjectBuilder objects, Routing routing) {
        if (!(routing instanceof Routing.Weighted weighted)) {
            return selector.route(objects, routing);
        }
        TrafficSplit split = objects.trafficSplit();
        return List.of(new RouteChange("set the HTTPRoute weights",
            client -> apply(client, split, weighted.candidateWeight())));
    }

    @Override
    public int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels) {
        return LabelledDeletion.delete(client.resources(HTTPRoute.class), namespace, labels);
    }

    /** The HTTPRoute for the split at this share. */
    List<HasMetadata> objects(TrafficSplit split, double candidateShare) {
        return List.of(route(split, candidateShare));
    }

    /**
     * Routes {@code candidateShare} of the traffic entering the Gateway to the candidate, creating the HTTPRoute or
     * replacing it with the new weights.
     *
     * @param candidateShare 0..1, turned into whole percents by {@link TrafficSplit#canaryPercent}
     * @throws IllegalArgumentException when the split names no Gateway
     */
    void apply(KubernetesClient client, TrafficSplit split, double candidateShare) {
        client.resources(HTTPRoute.class).inNamespace(split.namespace()).resource(route(split, candidateShare))
            .fieldValidation(STRICT).createOr(NonDeletingOperation::update);
    }

    /**
     * Two rules: requests with {@code X-Canary: always} go to the candidate, the rest by weight. The Gateway API
     * gives the rule with the header match precedence over the one without, whatever their order; weights are
     * relative, and whole percents keep them readable.
     */
    private static HTTPRoute route(TrafficSplit split, double candidateShare) {
        if (split.gateway() == null) {
            throw new IllegalArgumentException(
                "Gateway API routing needs the Gateway to attach its HTTPRoute to: set kubernetes.gateway");
        }
        int canary = TrafficSplit.canaryPercent(candidateShare);
        return new HTTPRouteBuilder()
            .withNewMetadata().withName(split.mainService()).withNamespace(split.namespace())
            .withLabels(split.labels()).endMetadata()
            .withNewSpec()
            .addNewParentRef().withName(split.gateway()).withNamespace(split.gatewayNamespace()).endParentRef()
            .addNewRule()
            .addNewMatch().addNewHeader().withType("Exact").withName(TrafficSplit.CANARY_HEADER)
            .withValue(TrafficSplit.PIN_CANARY).endHeader().endMatch()
            .withBackendRefs(backend(split.canaryService(), 1))
            .endRule()
            .addNewRule()
            .withBackendRefs(backend(split.stableService(), 100 - canary), backend(split.canaryService(), canary))
            .endRule()
            .endSpec()
            .build();
    }

    private static HTTPBackendRef backend(String service, int weight) {
        return new HTTPBackendRefBuilder().withName(service).withPort(TrafficSplit.SERVICE_PORT).withWeight(weight)
            .build();
    }
}
