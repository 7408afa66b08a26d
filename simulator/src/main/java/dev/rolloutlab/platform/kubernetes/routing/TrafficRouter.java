package dev.rolloutlab.platform.kubernetes.routing;

import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.scenario.Kubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * How a Kubernetes run steers requests between its versions: by the Service's selector alone, or through a mesh or
 * gateway that weights them. A run uses the one its scenario's {@code strategy.trafficRouting} names. A router keeps
 * nothing of a run: what it routes comes from the run's {@link RunObjectBuilder}, and it puts the run's labels on
 * every object it creates, so that cleanup by labels can ask every router for its leftovers without knowing the run.
 */
public interface TrafficRouter {
    /** Labels the namespace a run creates for itself needs for this router to reach its pods; usually none. */
    Map<String, String> namespaceLabels();

    /**
     * The port on 127.0.0.1 where clients reach the service from outside the cluster (kind maps it from the host to
     * the node), unless {@code kubernetes.serviceUrl} names another URL.
     */
    int ingressPort(Kubernetes settings);

    /** What serves {@link #ingressPort} and what installs it: for a user whose entry point does not answer. */
    String ingressName();

    /**
     * What the router creates at start besides the run's Service, sending all traffic to the stable version, in the
     * order {@link #start} creates it: what {@code rollout-lab manifests} prints.
     */
    List<HasMetadata> startObjects(RunObjectBuilder objects);

    /** Creates {@link #startObjects} on the cluster. */
    void start(KubernetesClient client, RunObjectBuilder objects);

    /**
     * The writes that make the cluster route as {@code routing} says, in the order to send them. Sending the same
     * routing again leaves the cluster as it was.
     */
    List<RouteChange> route(RunObjectBuilder objects, Routing routing);

    /**
     * Deletes the objects of this router's own kinds that carry all of {@code labels}: what runs left behind.
     * Services are not among them; cleanup deletes those with the run's other Services.
     *
     * @param namespace {@code null} for every namespace
     * @return how many objects were deleted; a cluster without the router's kinds has none
     */
    int deleteLabelled(KubernetesClient client, String namespace, Map<String, String> labels);
}
