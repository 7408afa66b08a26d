package dev.rolloutlab.platform.kubernetes.routing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * One write to the API server that changes how traffic is routed. The platform sends each after the ones before it,
 * and names a refused one by {@code what} (e.g. {@code set the HTTPRoute weights: ...}).
 */
public record RouteChange(String what, Consumer<KubernetesClient> write) {
    public void applyTo(KubernetesClient client) {
        write.accept(client);
    }
}
