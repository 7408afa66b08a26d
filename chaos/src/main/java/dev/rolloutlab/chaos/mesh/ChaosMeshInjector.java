package dev.rolloutlab.chaos.mesh;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries a run's faults out on Kubernetes by creating Chaos Mesh objects, and removes them when the fault ends.
 * Every object expires by itself ({@code spec.duration}) and is labelled with the run id, so even a run that dies
 * leaves nothing active for long, and {@link #cleanup} finds its leftovers later.
 */
public final class ChaosMeshInjector implements FaultPort {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String namespace;
    private final String runId;
    private final RunPods pods;
    /** Objects of the faults started and not yet ended; equal faults end in the order they started. */
    private final Map<Fault, Deque<List<ChaosObject>>> active = new HashMap<>();
    private int started;

    /** @throws IllegalArgumentException for a run id that cannot go into a name and label */
    public ChaosMeshInjector(KubernetesClient client, String namespace, String runId, RunPods pods) {
        this.client = client;
        this.namespace = namespace;
        this.runId = ChaosMeta.requireRunId(runId);
        this.pods = pods;
    }

    /** A fresh run id: 8 hex digits, short enough for object names. */
    public static String newRunId() {
        return HexFormat.of().formatHex(RANDOM.generateSeed(4));
    }

    /** Creates the fault's objects; their names number the faults in the order they start, from 1. */
    @Override
    public synchronized void start(Fault fault) {
        List<ChaosObject> objects = ChaosMeshFaults.objectsFor(fault, pods, runId, namespace, ++started);
        for (ChaosObject o : objects) {
            client.genericKubernetesResources(o.kind().context()).inNamespace(namespace).resource(o.toResource()).create();
        }
        active.computeIfAbsent(fault, f -> new ArrayDeque<>()).add(objects);
    }

    /** Deletes what {@link #start} created for the fault (already gone is fine). */
    @Override
    public synchronized void end(Fault fault) {
        Deque<List<ChaosObject>> instances = active.get(fault);
        if (instances == null || instances.isEmpty()) {
            return;
        }
        for (ChaosObject o : instances.poll()) {
            client.genericKubernetesResources(o.kind().context()).inNamespace(namespace).withName(o.meta().name())
                .delete();
        }
    }

    /** Deletes every object of this run in the namespace, including those of an earlier injector for the same run. */
    @Override
    public synchronized void endAll() {
        active.clear();
        cleanup(client, namespace, runId);
    }

    /**
     * Deletes rollout-lab's Chaos Mesh objects left on a cluster.
     *
     * @param namespace {@code null} for every namespace
     * @param runId     {@code null} for every run
     * @return how many objects were deleted
     */
    public static int cleanup(KubernetesClient client, String namespace, String runId) {
        return cleanup(client, namespace, runId, deleted -> { });
    }

    /** {@link #cleanup(KubernetesClient, String, String)}, telling {@code onDelete} about each object deleted. */
    public static int cleanup(KubernetesClient client, String namespace, String runId,
                              Consumer<GenericKubernetesResource> onDelete) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of(ChaosMeta.MANAGED_BY_LABEL, ChaosMeta.MANAGED_BY));
        if (runId != null) {
            labels.put(ChaosMeta.RUN_ID_LABEL, runId);
        }
        int deleted = 0;
        for (ChaosKind kind : ChaosKind.values()) {
            var resources = client.genericKubernetesResources(kind.context());
            FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> scope = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
            List<GenericKubernetesResource> leftovers;
            try {
                leftovers = scope.withLabels(labels).list().getItems();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue; // Chaos Mesh (or this kind) is not installed: nothing to clean up
                }
                throw e;
            }
            for (GenericKubernetesResource r : leftovers) {
                if (!resources.inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName()).delete()
                    .isEmpty()) {
                    deleted++;
                    onDelete.accept(r);
                }
            }
        }
        return deleted;
    }
}
