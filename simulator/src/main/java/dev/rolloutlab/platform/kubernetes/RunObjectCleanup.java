package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.ChaosMeta;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deletes what {@link RunObjectBuilder} built for rollout-lab runs by the objects' labels alone, so that the end of a
 * run, an interrupted run and a later {@code rollout-lab cleanup} after a crash all remove the same things: Chaos Mesh
 * objects, mesh and gateway routes, Deployments (their pods go with them), Services, and the namespaces runs made.
 */
public final class RunObjectCleanup {
    private RunObjectCleanup() {
    }

    /**
     * @param namespace {@code null} for every namespace
     * @param runId     {@code null} for every run
     * @return how many objects were deleted
     */
    public static int delete(KubernetesClient client, String namespace, String runId, Consumer<HasMetadata> onDelete) {
        Map<String, String> labels = labels(runId);
        int deleted = ChaosMeshInjector.cleanup(client, namespace, runId, onDelete::accept);
        for (TrafficRouter router : TrafficRouters.ALL) {
            deleted += router.deleteLabelled(client, namespace, labels);
        }
        deleted += delete(client.apps().deployments(), namespace, labels, onDelete);
        deleted += delete(client.services(), namespace, labels, onDelete);
        for (Namespace ns : client.namespaces().withLabels(labels).list().getItems()) {
            if ((namespace == null || namespace.equals(ns.getMetadata().getName()))
                && !client.namespaces().withName(ns.getMetadata().getName()).delete().isEmpty()) {
                deleted++;
                onDelete.accept(ns);
            }
        }
        return deleted;
    }

    /** How many labelled Deployments, Services and namespaces are left: 0 once a run has cleaned up. */
    public static int remaining(KubernetesClient client, String namespace, String runId) {
        Map<String, String> labels = labels(runId);
        return scope(client.apps().deployments(), namespace).withLabels(labels).list().getItems().size()
            + scope(client.services(), namespace).withLabels(labels).list().getItems().size()
            + (int) client.namespaces().withLabels(labels).list().getItems().stream()
                .filter(ns -> namespace == null || namespace.equals(ns.getMetadata().getName())).count();
    }

    private static Map<String, String> labels(String runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ChaosMeta.MANAGED_BY_LABEL, ChaosMeta.MANAGED_BY);
        if (runId != null) {
            labels.put(ChaosMeta.RUN_ID_LABEL, runId);
        }
        return labels;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>> int delete(
        MixedOperation<T, L, R> kind, String namespace, Map<String, String> labels,
        Consumer<HasMetadata> onDelete) {
        int deleted = 0;
        for (T item : scope(kind, namespace).withLabels(labels).list().getItems()) {
            if (!kind.inNamespace(item.getMetadata().getNamespace()).withName(item.getMetadata().getName()).delete()
                .isEmpty()) {
                deleted++;
                onDelete.accept(item);
            }
        }
        return deleted;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
        FilterWatchListDeletable<T, L, R> scope(MixedOperation<T, L, R> kind, String namespace) {
        return namespace == null ? kind.inAnyNamespace() : kind.inNamespace(namespace);
    }
}
