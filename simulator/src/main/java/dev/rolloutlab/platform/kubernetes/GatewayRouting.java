package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
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
 * traffic between the {@code <app>-stable} and {@code <app>-canary} Services. Unlike Istio it needs no subsets,
 * because each version has its own Service.
 */
public final class GatewayRouting {
    private GatewayRouting() {
    }

    /** The HTTPRoute for the split at this share, e.g. to print as a manifest. */
    public static List<HasMetadata> objects(TrafficSplit split, double candidateShare) {
        return List.of(route(split, candidateShare));
    }

    /**
     * Routes {@code candidateShare} of the traffic entering the Gateway to the candidate, creating the HTTPRoute or
     * replacing it with the new weights.
     *
     * @param candidateShare 0..1, turned into whole percents by {@link TrafficSplit#canaryPercent}
     * @throws IllegalArgumentException when the split names no Gateway
     */
    public static void apply(KubernetesClient client, TrafficSplit split, double candidateShare) {
        client.resources(HTTPRoute.class).inNamespace(split.namespace()).resource(route(split, candidateShare))
            .createOr(NonDeletingOperation::update);
    }

    /** Deletes the split's HTTPRoute; gone is fine. */
    public static void delete(KubernetesClient client, TrafficSplit split) {
        client.resources(HTTPRoute.class).inNamespace(split.namespace()).withName(split.mainService()).delete();
    }

    /**
     * Deletes the HTTPRoutes carrying all of {@code labels}: what runs left behind.
     *
     * @param namespace {@code null} for every namespace
     * @return how many were deleted; a cluster without the Gateway API CRDs has none
     * @throws IllegalArgumentException for no labels (that would select every HTTPRoute)
     */
    public static int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels) {
        return LabelledDeletion.delete(client.resources(HTTPRoute.class), namespace, labels);
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
