package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Canary traffic splitting through Istio: a {@link DestinationRule} names the two versions as subsets of the app's
 * main Service, and a {@link VirtualService} weights traffic between them. There is no usable Istio model for
 * fabric8 8 (FIELD-NOTES), so both are our own records sent through the generic resource API.
 */
public final class IstioRouting {
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

    private IstioRouting() {
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
            .withPlural(plural).withNamespaced(true).build();
    }

    /** The DestinationRule and VirtualService for the split at this share, e.g. to print as manifests. */
    public static List<GenericKubernetesResource> objects(TrafficSplit split, double candidateShare) {
        return List.of(DestinationRule.of(split).toResource(),
            VirtualService.of(split, TrafficSplit.canaryPercent(candidateShare)).toResource());
    }

    /**
     * Routes {@code candidateShare} of the app's traffic to the candidate. The DestinationRule goes first, so the
     * VirtualService never names a subset that does not exist yet (Istio answers such requests with 503). It is
     * written only when missing or different (left by an earlier run with other versions), so a weight step is one
     * write; the VirtualService is created or replaced with the new weights.
     *
     * @param candidateShare 0..1, turned into whole percents by {@link TrafficSplit#canaryPercent}
     */
    public static void apply(KubernetesClient client, TrafficSplit split, double candidateShare) {
        VirtualService service = VirtualService.of(split, TrafficSplit.canaryPercent(candidateShare));
        DestinationRule rule = DestinationRule.of(split);
        var rules = client.genericKubernetesResources(DESTINATION_RULES).inNamespace(split.namespace());
        GenericKubernetesResource existing = rules.withName(rule.name()).get();
        if (existing == null) {
            rules.resource(rule.toResource()).create();
        } else if (!rule.spec().equals(existing.getAdditionalProperties().get("spec"))
            || !rule.labels().equals(Objects.requireNonNullElse(existing.getMetadata().getLabels(), Map.of()))) {
            rules.resource(rule.toResource()).update();
        }
        client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(split.namespace())
            .resource(service.toResource()).createOr(NonDeletingOperation::update);
    }

    /** Deletes the split's VirtualService, then its DestinationRule (the reverse of {@link #apply}); gone is fine. */
    public static void delete(KubernetesClient client, TrafficSplit split) {
        client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(split.namespace())
            .withName(split.mainService()).delete();
        client.genericKubernetesResources(DESTINATION_RULES).inNamespace(split.namespace())
            .withName(split.mainService()).delete();
    }

    /**
     * Deletes the VirtualServices and DestinationRules carrying all of {@code labels}: what runs left behind.
     *
     * @param namespace {@code null} for every namespace
     * @return how many objects were deleted; a cluster without Istio has none
     * @throws IllegalArgumentException for no labels (that would select every object of the kinds)
     */
    public static int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels) {
        return LabelledDeletion.delete(client.genericKubernetesResources(VIRTUAL_SERVICES), namespace, labels)
            + LabelledDeletion.delete(client.genericKubernetesResources(DESTINATION_RULES), namespace, labels);
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
