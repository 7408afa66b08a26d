package dev.rolloutlab.platform.kubernetes.routing.istio;

import static io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT;

import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import dev.rolloutlab.platform.kubernetes.routing.LabelledDeletion;
import dev.rolloutlab.platform.kubernetes.routing.RouteChange;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.platform.kubernetes.routing.selector.SelectorRouter;
import dev.rolloutlab.scenario.Kubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Canary traffic splitting through Istio: a {@link DestinationRule} names the two versions as subsets of the app's
 * main Service, and a {@link VirtualService} weights traffic between them; all but weights goes by the Service's
 * selector ({@link SelectorRouter}). fabric8 8 has no Istio model ({@code io.fabric8:istio-client} stops at 7.x,
 * whose Vert.x 4 clashes with the Vert.x 5 rollout-lab runs on), so both are our own records sent through the
 * generic resource API.
 */
public final class IstioRouter implements TrafficRouter {
    public static final String GROUP = "networking.istio.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String STABLE_SUBSET = "stable";
    public static final String CANARY_SUBSET = "canary";

    /**
     * For {@code client.genericKubernetesResources(...)}. The plural is spelled out because the client's
     * {@code (apiVersion, kind)} shortcut guesses it through discovery, which the mock server (and a cluster without
     * Istio) cannot answer.
     */
    public static final ResourceDefinitionContext VIRTUAL_SERVICES = context(VirtualService.KIND, "virtualservices");
    public static final ResourceDefinitionContext DESTINATION_RULES = context(DestinationRule.KIND, "destinationrules");

    private final SelectorRouter selector = new SelectorRouter();

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
            .withPlural(plural).withNamespaced(true).build();
    }

    /** Istio injects the sidecar that applies the weights into the pods of a namespace so labelled. */
    @Override
    public Map<String, String> namespaceLabels() {
        return Map.of("istio-injection", "enabled");
    }

    /** Istio's ingress gateway's NodePort. */
    @Override
    public int ingressPort(Kubernetes settings) {
        return Kubernetes.ISTIO_PORT;
    }

    @Override
    public String ingressName() {
        return "Istio's ingress gateway on NodePort " + Kubernetes.ISTIO_PORT + " (kind-config/up.sh --istio installs "
            + "it)";
    }

    @Override
    public List<HasMetadata> startObjects(RunObjectBuilder objects) {
        return List.copyOf(objects(objects.trafficSplit(), 0));
    }

    @Override
    public void start(KubernetesClient client, RunObjectBuilder objects) {
        apply(client, objects.trafficSplit(), 0);
    }

    @Override
    public List<RouteChange> route(RunObjectBuilder objects, Routing routing) {
        if (!(routing instanceof Routing.Weighted weighted)) {
            return selector.route(objects, routing);
        }
        TrafficSplit split = objects.trafficSplit();
        return List.of(new RouteChange("set the VirtualService weights",
            client -> apply(client, split, weighted.candidateWeight())));
    }

    /** The VirtualServices, then the DestinationRules, carrying all of {@code labels}. */
    @Override
    public int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels) {
        return LabelledDeletion.delete(client.genericKubernetesResources(VIRTUAL_SERVICES), namespace, labels)
            + LabelledDeletion.delete(client.genericKubernetesResources(DESTINATION_RULES), namespace, labels);
    }

    /** The DestinationRule and VirtualServices for the split at this share. */
    List<GenericKubernetesResource> objects(TrafficSplit split, double candidateShare) {
        List<GenericKubernetesResource> objects = new ArrayList<>(List.of(DestinationRule.of(split).toResource()));
        VirtualService.of(split, TrafficSplit.canaryPercent(candidateShare)).forEach(v -> objects.add(v.toResource()));
        return List.copyOf(objects);
    }

    /**
     * Routes {@code candidateShare} of the app's traffic to the candidate. The DestinationRule goes first, so the
     * VirtualServices never name a subset that does not exist yet (Istio answers such requests with 503). It is
     * written only when missing or different (left by an earlier run with other versions), so a weight step is one
     * write per VirtualService, each created or replaced with the new weights.
     *
     * @param candidateShare 0..1, turned into whole percents by {@link TrafficSplit#canaryPercent}
     */
    void apply(KubernetesClient client, TrafficSplit split, double candidateShare) {
        DestinationRule rule = DestinationRule.of(split);
        var rules = client.genericKubernetesResources(DESTINATION_RULES).inNamespace(split.namespace());
        GenericKubernetesResource existing = rules.withName(rule.name()).get();
        if (existing == null) {
            rules.resource(rule.toResource()).fieldValidation(STRICT).create();
        } else if (!rule.spec().equals(existing.getAdditionalProperties().get("spec"))
            || !rule.labels().equals(Objects.requireNonNullElse(existing.getMetadata().getLabels(), Map.of()))) {
            rules.resource(rule.toResource()).fieldValidation(STRICT).update();
        }
        for (VirtualService service : VirtualService.of(split, TrafficSplit.canaryPercent(candidateShare))) {
            client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(split.namespace())
                .resource(service.toResource()).fieldValidation(STRICT).createOr(NonDeletingOperation::update);
        }
    }

    static GenericKubernetesResource resource(String kind, String name, String namespace, Map<String, String> labels,
                                              Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(API_VERSION);
        r.setKind(kind);
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    /** An insertion-ordered map from key, value pairs, so rendered YAML reads like the Istio reference. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
