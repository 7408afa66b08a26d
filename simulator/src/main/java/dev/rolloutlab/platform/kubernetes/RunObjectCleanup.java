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
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Deletes what {@link RunObjectBuilder} built for rollout-lab runs by the objects' labels alone, so that the end of a
 * run, an interrupted run and a later {@code rollout-lab cleanup} after a crash all remove the same things: Chaos Mesh
 * objects, mesh and gateway routes, Deployments (their pods go with them), Services, and the namespaces runs made.
 *
 * <p>A kind the user may not list or delete (403: namespace-scoped rights, none on Istio or Chaos Mesh kinds) does not
 * stop the rest: it is reported as left, and everything else is still deleted. A kind not installed (404) has nothing
 * to delete.
 */
public final class RunObjectCleanup {
    private RunObjectCleanup() {
    }

    /**
     * What a cleanup did.
     *
     * @param left what it was not allowed to list or delete, one line each, e.g. {@code HTTPRoute in lab: forbidden}
     */
    public record Cleaned(int deleted, List<String> left) {
    }

    /** Which namespaces a cleanup deletes besides the objects in them. */
    public enum Namespaces {
        /** The run's own namespace, by name: it made it (no cluster-wide listing, which namespaced rights forbid). */
        OWN,
        /** None: the namespace was the user's. */
        NONE,
        /** Every namespace a run made, found by label (cluster-wide, for {@code rollout-lab cleanup}). */
        LABELLED
    }

    /**
     * @param namespace {@code null} for every namespace
     * @param runId     {@code null} for every run
     */
    public static Cleaned delete(KubernetesClient client, String namespace, String runId, Namespaces namespaces,
                                 Consumer<HasMetadata> onDelete) {
        Map<String, String> labels = labels(runId);
        List<String> left = new ArrayList<>();
        String where = namespace == null ? "any namespace" : namespace;
        int deleted = allowed("Chaos Mesh objects in " + where, left,
            () -> ChaosMeshInjector.cleanup(client, namespace, runId, onDelete::accept));
        for (TrafficRouter router : TrafficRouters.ALL) {
            deleted += allowed(router.getClass().getSimpleName() + " routes in " + where, left,
                () -> router.deleteLabelled(client, namespace, labels));
        }
        deleted += allowed("Deployments in " + where, left,
            () -> delete(client.apps().deployments(), namespace, labels, onDelete));
        deleted += allowed("Services in " + where, left,
            () -> delete(client.services(), namespace, labels, onDelete));
        deleted += switch (namespaces) {
            case NONE -> 0;
            case OWN -> allowed("namespace " + namespace, left, () -> {
                List<StatusDetails> gone = client.namespaces().withName(namespace).delete();
                if (!gone.isEmpty()) {
                    onDelete.accept(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build());
                }
                return gone.size();
            });
            case LABELLED -> allowed("namespaces made by runs", left, () -> {
                int n = 0;
                for (Namespace ns : client.namespaces().withLabels(labels).list().getItems()) {
                    if ((namespace == null || namespace.equals(ns.getMetadata().getName()))
                        && !client.namespaces().withName(ns.getMetadata().getName()).delete().isEmpty()) {
                        n++;
                        onDelete.accept(ns);
                    }
                }
                return n;
            });
        };
        return new Cleaned(deleted, List.copyOf(left));
    }

    /** Runs one step; a 403 is noted as left instead of stopping the steps after it. */
    private static int allowed(String what, List<String> left, IntSupplier step) {
        try {
            return step.getAsInt();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            left.add(what + ": forbidden (" + String.valueOf(e.getStatus() == null ? e.getMessage()
                : e.getStatus().getMessage()).lines().findFirst().orElse("") + ")");
            return 0;
        }
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
