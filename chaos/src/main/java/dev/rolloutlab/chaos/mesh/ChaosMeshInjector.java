package dev.rolloutlab.chaos.mesh;

import static io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultPort;
import dev.rolloutlab.chaos.mesh.InjectionReport.Stage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries a run's faults out on Kubernetes by creating Chaos Mesh objects, and removes them when the fault ends.
 * Every object expires by itself ({@code spec.duration}) and is labelled with the run id, so even a run that dies
 * leaves nothing active for long, and {@link #cleanup} finds its leftovers later.
 *
 * <p>What really happened to each object is reported ({@link InjectionReport}): a refusal of the API server when it
 * is created, then what Chaos Mesh writes in its status (watched, not polled): injected into every selected pod, or
 * no pod selected. An object still unconfirmed when its fault ends (or the run does) is reported as not injected, so
 * a fault that never happened is never counted as one that did.
 */
public final class ChaosMeshInjector implements FaultPort {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String namespace;
    private final String runId;
    private final RunPods pods;
    private final Consumer<InjectionReport> reports;
    /** Objects of the faults started and not yet ended; equal faults end in the order they started. */
    private final Map<Fault, Deque<List<Watched>>> active = new HashMap<>();
    private int started;

    /** A created object, the watch on its status, and whether its outcome was reported. */
    private record Watched(Fault fault, ChaosObject object, Watch watch, AtomicBoolean reported) {
        String describe() {
            return object.kind().kind() + " " + object.meta().name();
        }
    }

    /**
     * @param reports told what became of each object, on the API client's threads
     * @throws IllegalArgumentException for a run id that cannot go into a name and label
     */
    public ChaosMeshInjector(KubernetesClient client, String namespace, String runId, RunPods pods,
                             Consumer<InjectionReport> reports) {
        this.client = client;
        this.namespace = namespace;
        this.runId = ChaosMeta.requireRunId(runId);
        this.pods = pods;
        this.reports = reports;
    }

    /** A fresh run id: 8 hex digits, short enough for object names. */
    public static String newRunId() {
        return HexFormat.of().formatHex(RANDOM.generateSeed(4));
    }

    /**
     * Creates the fault's objects; their names number the faults in the order they start, from 1. An object the API
     * server refuses is reported and skipped: the run goes on, with the fault marked as not injected.
     */
    @Override
    public synchronized void start(Fault fault) {
        List<ChaosObject> objects = ChaosMeshFaults.objectsFor(fault, pods, runId, namespace, ++started);
        List<Watched> created = new ArrayList<>();
        for (ChaosObject o : objects) {
            String name = o.kind().kind() + " " + o.meta().name();
            try {
                resources(o).resource(o.toResource()).fieldValidation(STRICT).create();
            } catch (KubernetesClientException e) {
                reports.accept(new InjectionReport(fault, Stage.FAILED, name, "the API server refused it: "
                    + refusal(e)));
                continue;
            }
            reports.accept(new InjectionReport(fault, Stage.APPLIED, name, "created"));
            created.add(watch(fault, o));
        }
        active.computeIfAbsent(fault, f -> new ArrayDeque<>()).add(created);
    }

    /** Watches the object's status for Chaos Mesh's verdict; reads it once too, in case it came first. */
    private Watched watch(Fault fault, ChaosObject o) {
        AtomicBoolean reported = new AtomicBoolean();
        Watched[] self = new Watched[1];
        Watch w = resources(o).withName(o.meta().name()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                if (self[0] != null) {
                    judge(self[0], resource);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // Unconfirmed objects are reported when their fault ends.
            }
        });
        self[0] = new Watched(fault, o, w, reported);
        judge(self[0], resources(o).withName(o.meta().name()).get());
        return self[0];
    }

    /** Reports Chaos Mesh's verdict on the object, once, when its status has one. */
    private void judge(Watched w, GenericKubernetesResource resource) {
        Optional<InjectionReport> verdict = verdict(w, resource);
        if (verdict.isPresent() && w.reported().compareAndSet(false, true)) {
            reports.accept(verdict.get());
            w.watch().close();
        }
    }

    /**
     * The verdict in a Chaos Mesh object's {@code status.conditions}: {@code AllInjected} true, or {@code Selected}
     * false (its selector matched no pod, which Chaos Mesh reports there rather than refusing the object).
     */
    static Optional<InjectionReport> verdict(Watched w, GenericKubernetesResource resource) {
        Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> statusMap) || !(statusMap.get("conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        for (Object c : conditions) {
            if (c instanceof Map<?, ?> condition) {
                String type = String.valueOf(condition.get("type"));
                String value = String.valueOf(condition.get("status"));
                if (type.equals("Selected") && value.equals("False")) {
                    return Optional.of(new InjectionReport(w.fault(), Stage.FAILED, w.describe(),
                        "Chaos Mesh selected no pod" + reason(condition)));
                }
                if (type.equals("AllInjected") && value.equals("True")) {
                    return Optional.of(new InjectionReport(w.fault(), Stage.INJECTED, w.describe(),
                        "Chaos Mesh injected it into every selected pod"));
                }
            }
        }
        return Optional.empty();
    }

    private static String reason(Map<?, ?> condition) {
        Object reason = condition.get("reason");
        return reason == null || String.valueOf(reason).isBlank() ? "" : " (" + reason + ")";
    }

    private static String refusal(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        return e.getCode() + " " + String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
    }

    /** Stops watching and reports what Chaos Mesh never confirmed while the fault lasted. */
    private void settle(List<Watched> watched) {
        for (Watched w : watched) {
            w.watch().close();
            if (w.reported().compareAndSet(false, true)) {
                reports.accept(new InjectionReport(w.fault(), Stage.FAILED, w.describe(), "Chaos Mesh did not "
                    + "confirm it while the fault lasted (is its controller running in the cluster?)"));
            }
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
        Resource<GenericKubernetesResource>> resources(ChaosObject o) {
        return client.genericKubernetesResources(o.kind().context()).inNamespace(namespace);
    }

    /** Deletes what {@link #start} created for the fault (already gone is fine). */
    @Override
    public synchronized void end(Fault fault) {
        Deque<List<Watched>> instances = active.get(fault);
        if (instances == null || instances.isEmpty()) {
            return;
        }
        List<Watched> ended = instances.poll();
        settle(ended);
        for (Watched w : ended) {
            resources(w.object()).withName(w.object().meta().name()).delete();
            reports.accept(new InjectionReport(fault, Stage.ENDED, w.describe(), "deleted"));
        }
    }

    /** Deletes every object of this run in the namespace, including those of an earlier injector for the same run. */
    @Override
    public synchronized void endAll() {
        active.values().forEach(instances -> instances.forEach(this::settle));
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
