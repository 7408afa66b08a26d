package dev.rolloutlab.platform.kubernetes.routing.istio;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * An Istio {@code DestinationRule}, typed with only the fields rollout-lab sets: it names the app's two versions as
 * subsets of one host, so a {@link VirtualService} can weight traffic between them.
 */
public record DestinationRule(String name, String namespace, Map<String, String> labels, String host,
                              List<Subset> subsets) {
    /** Pods of {@code host} carrying all of {@code labels}. */
    public record Subset(String name, Map<String, String> labels) {
    }

    public static final String KIND = "DestinationRule";

    /** {@code <app>} on host {@code <app>}, with subsets {@code stable} and {@code canary} by the version label. */
    public static DestinationRule of(TrafficSplit split) {
        return new DestinationRule(split.mainService(), split.namespace(), split.labels(), split.mainService(), List.of(
            new Subset(IstioRouter.STABLE_SUBSET, Map.of(TrafficSplit.VERSION_LABEL, split.stable())),
            new Subset(IstioRouter.CANARY_SUBSET, Map.of(TrafficSplit.VERSION_LABEL, split.candidate()))));
    }

    /** The {@code spec}, in the field order of the Istio reference. */
    public Map<String, Object> spec() {
        return IstioRouter.map("host", host, "subsets",
            subsets.stream().map(s -> IstioRouter.map("name", s.name(), "labels", s.labels())).toList());
    }

    public GenericKubernetesResource toResource() {
        return IstioRouter.resource(KIND, name, namespace, labels, spec());
    }
}
