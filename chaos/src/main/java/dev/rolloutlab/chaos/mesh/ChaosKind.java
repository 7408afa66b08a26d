package dev.rolloutlab.chaos.mesh;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The Chaos Mesh kinds rollout-lab creates, with what fabric8's generic resource API needs to reach them. The plural
 * is spelled out because the client's {@code (apiVersion, kind)} shortcut guesses it through discovery, which the
 * mock server (and a cluster without Chaos Mesh) cannot answer.
 */
public enum ChaosKind {
    POD_CHAOS("PodChaos", "podchaos"),
    NETWORK_CHAOS("NetworkChaos", "networkchaos"),
    HTTP_CHAOS("HTTPChaos", "httpchaos"),
    STRESS_CHAOS("StressChaos", "stresschaos");

    public static final String GROUP = "chaos-mesh.org";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private final String kind;
    private final ResourceDefinitionContext context;

    ChaosKind(String kind, String plural) {
        this.kind = kind;
        this.context = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
            .withPlural(plural).withNamespaced(true).build();
    }

    /** The {@code kind} field, e.g. {@code PodChaos}. */
    public String kind() {
        return kind;
    }

    /** For {@code client.genericKubernetesResources(context)}. */
    public ResourceDefinitionContext context() {
        return context;
    }
}
