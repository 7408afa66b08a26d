package dev.rolloutlab.nodeagent;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.platform.local.CrashLoopBackoff;
import dev.rolloutlab.platform.local.ReadinessProber;
import dev.rolloutlab.scenario.Readiness;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The kubelet (and, as no scheduler runs, the binder) of the agent's Nodes: pods with no node are bound to them in
 * turn through the binding subresource; each pod bound to one of them gets a {@link PodRunner}. One pod informer over
 * every namespace feeds both. Writes go to the API server in order on one thread, so a pod's statuses arrive in the
 * order they were made and its delete after its last status.
 */
final class Kubelet implements ResourceEventHandler<Pod> {
    private final KubernetesClient client;
    private final Vertx vertx;
    private final Clock clock;
    private final List<String> nodes;
    private final String hostIp;
    private final CrashLoopBackoff backoff;
    private final PodEvents out;
    private final PodAddresses addresses = new PodAddresses();
    /** Pod uid to its runner. */
    private final Map<String, PodRunner> runners = new HashMap<>();
    /** Pods whose run ended here: later events of theirs (the API server's last updates before removal) start nothing. */
    private final Set<String> finished = new HashSet<>();
    /** Pods a binding was sent for. */
    private final Set<String> binding = new HashSet<>();
    private final Map<Readiness, ReadinessProber> probers = new HashMap<>();
    private final Set<PodRunner> unsynced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "node-agent-writer");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Pod> informer;
    private int nextNode;
    private boolean stopped;

    /** One line per pod event. */
    @FunctionalInterface
    interface PodEvents {
        void print(String pod, String what);
    }

    Kubelet(KubernetesClient client, Vertx vertx, Clock clock, List<String> nodes, String hostIp,
            CrashLoopBackoff backoff, PodEvents out) {
        this.client = client;
        this.vertx = vertx;
        this.clock = clock;
        this.nodes = List.copyOf(nodes);
        this.hostIp = hostIp;
        this.backoff = backoff;
        this.out = out;
    }

    void start() {
        informer = client.pods().inAnyNamespace().inform(this, 0);
    }

    Vertx vertx() {
        return vertx;
    }

    Clock clock() {
        return clock;
    }

    String hostIp() {
        return hostIp;
    }

    CrashLoopBackoff backoff() {
        return backoff;
    }

    void print(String pod, String what) {
        out.print(pod, what);
    }

    synchronized ReadinessProber prober(Readiness readiness) {
        return probers.computeIfAbsent(readiness, r -> new ReadinessProber(vertx, r));
    }

    void locked(Runnable action) {
        synchronized (this) {
            action.run();
        }
    }

    @Override
    public void onAdd(Pod pod) {
        onUpdate(null, pod);
    }

    @Override
    public synchronized void onUpdate(Pod oldPod, Pod pod) {
        if (stopped) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        String node = pod.getSpec().getNodeName();
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        if (node == null || node.isEmpty()) {
            if (!deleting && binding.add(uid)) {
                bind(pod, nodes.get(nextNode++ % nodes.size()));
            }
            return;
        }
        binding.remove(uid);
        if (!nodes.contains(node) || finished.contains(uid)) {
            return;
        }
        PodRunner runner = runners.get(uid);
        if (runner != null) {
            runner.update(pod);
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return;
        }
        if (deleting) {
            // Ours, but not run by this agent (it started after the pod's processes ended): nothing left to stop.
            finished.add(uid);
            print(key(pod), "deleting (not running here) with grace 0");
            deleteNow(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            return;
        }
        String earlier = pod.getStatus() == null || pod.getStatus().getPodIP() == null ? null
            : PodAddresses.loopback(pod.getStatus().getPodIP());
        String ip = earlier != null && addresses.claim(earlier) ? earlier : addresses.allocate();
        runner = new PodRunner(this, pod, ip);
        runners.put(uid, runner);
        runner.start();
    }

    @Override
    public synchronized void onDelete(Pod pod, boolean finalStateUnknown) {
        String uid = pod.getMetadata().getUid();
        binding.remove(uid);
        PodRunner runner = runners.get(uid);
        if (runner != null) {
            print(runner.key(), "removed from the API server: container killed");
            runner.kill();
        }
        finished.remove(uid);
    }

    /** Called by a runner whose pod ended here. */
    synchronized void gone(PodRunner runner) {
        runners.remove(runner.uid());
        unsynced.remove(runner);
        addresses.release(runner.ip());
        finished.add(runner.uid());
    }

    private void bind(Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        write(key(pod) + ": bind to " + node, () -> {
            client.bindings().inNamespace(ns).resource(new BindingBuilder().withNewMetadata().withName(name)
                .withNamespace(ns).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build()).create();
            print(ns + "/" + name, "bound to " + node);
        });
    }

    /**
     * Writes a pod's whole status (a merge patch replaces its lists whole); one refused for a passing reason (an API
     * server restarting, a timeout) is written again, from the pod's state then, at the next {@link #resync}.
     */
    void writeStatus(PodRunner runner, String namespace, String name, PodStatus status) {
        String patch = "{\"status\":" + client.getKubernetesSerialization().asJson(status) + "}";
        write(namespace + "/" + name + ": status", () -> {
            client.pods().inNamespace(namespace).withName(name).status()
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            unsynced.remove(runner);
        }, () -> unsynced.add(runner));
    }

    /** Writes again the statuses whose last write failed; the agent calls it with every heartbeat. */
    void resync() {
        for (PodRunner runner : List.copyOf(unsynced)) {
            unsynced.remove(runner);
            locked(runner::syncStatus);
        }
    }

    void deleteNow(String namespace, String name) {
        write(namespace + "/" + name + ": delete with grace 0", () -> client.pods().inNamespace(namespace)
            .withName(name).withGracePeriod(0).delete());
    }

    private void write(String what, Runnable change) {
        write(what, change, () -> { });
    }

    /**
     * Sends a change after the ones before it; a pod gone meanwhile (404, 409 on a binding) is no error, any other
     * failure is printed and {@code failed} runs.
     */
    private void write(String what, Runnable change, Runnable failed) {
        try {
            writer.execute(() -> {
                try {
                    change.run();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                        out.print("-", "error: " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
                        failed.run();
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // The agent stops: it leaves the API server as it is.
        }
    }

    /** Stops watching and kills every container; the API server's objects stay as they are. */
    Future<Void> stop() {
        List<PodRunner> left;
        synchronized (this) {
            stopped = true;
            left = new ArrayList<>(runners.values());
        }
        if (informer != null) {
            informer.stop();
        }
        synchronized (this) {
            left.forEach(PodRunner::kill);
        }
        writer.shutdownNow();
        List<Future<Void>> closed = new ArrayList<>();
        synchronized (this) {
            probers.values().forEach(p -> closed.add(p.close()));
        }
        return Future.all(closed).mapEmpty();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
