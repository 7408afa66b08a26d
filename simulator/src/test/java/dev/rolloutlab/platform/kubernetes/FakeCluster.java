package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the parts of a cluster that the CRUD API server mock does not: the Deployment and ReplicaSet controllers
 * (pods for each Deployment's template, Recreate and RollingUpdate replacement, scale down, garbage collection of
 * a deleted Deployment's pods), the kubelet (a pod turns Running and Ready on the first tick once it has existed for
 * its start-up time, {@link #podStartup}, one tick by default, or waits in
 * {@code ImagePullBackOff} for an image tagged {@code missing}), and
 * kube-proxy (an HTTP front on loopback that answers from a ready pod the {@code app} Service selects, with its
 * {@code X-Version} and {@code X-Pod}, or 503 when none is ready). One reconcile pass runs every tick.
 */
public final class FakeCluster implements AutoCloseable {
    static final String TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final String app;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger podNumbers = new AtomicInteger();
    private final AtomicReference<List<Pod>> servable = new AtomicReference<>(List.of());
    private final AtomicLong served = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Vertx vertx = Vertx.vertx();
    private HttpServer front;
    private final Map<String, Long> createdAt = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long startupNanos;

    /** How long a pod created from now on takes to turn ready, as a container's start-up would. */
    public FakeCluster podStartup(Duration startup) {
        startupNanos = startup.toNanos();
        return this;
    }

    /** @param app the scenario's name: the Service the front serves is the one of that name, in any namespace */
    public FakeCluster(KubernetesClient client, String app) {
        this.client = client;
        this.app = app;
    }

    /** Starts the controllers and the Service front; returns the front's URL. */
    public URI start(long tickMillis) throws Exception {
        front = vertx.createHttpServer().requestHandler(req -> {
            List<Pod> ready = servable.get();
            if (ready.isEmpty()) {
                req.response().setStatusCode(503).end("no ready endpoint");
                return;
            }
            Pod pod = ready.get((int) (served.getAndIncrement() % ready.size()));
            req.response().putHeader("X-Version", pod.getMetadata().getLabels().get(RunObjectBuilder.VERSION_LABEL))
                .putHeader("X-Pod", pod.getMetadata().getName()).end("ok");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ticks.scheduleWithFixedDelay(this::reconcile, 0, tickMillis, TimeUnit.MILLISECONDS);
        return URI.create("http://127.0.0.1:" + front.actualPort() + "/");
    }

    /** The first error a reconcile pass met, so that a test fails on it rather than on its consequences. */
    public Throwable failure() {
        return failure.get();
    }

    private void reconcile() {
        try {
            List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            for (Pod pod : pods) {
                if (!ready(pod)) {
                    kubelet(pod);
                }
            }
            for (Pod pod : pods) {
                String owner = pod.getMetadata().getLabels().get(RunObjectBuilder.WORKLOAD_LABEL);
                if (deployments.stream().noneMatch(d -> d.getMetadata().getName().equals(owner))) {
                    delete(pod); // garbage collection after the Deployment went
                }
            }
            for (Deployment d : deployments) {
                deploymentController(d, pods.stream().filter(p -> d.getMetadata().getName()
                    .equals(p.getMetadata().getLabels().get(RunObjectBuilder.WORKLOAD_LABEL))).toList());
            }
            kubeProxy();
        } catch (KubernetesClientException e) {
            // The run deleted the namespace's objects while this pass read them; the next pass sees the new state.
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void deploymentController(Deployment d, List<Pod> pods) {
        String hash = templateHash(d);
        int replicas = d.getSpec().getReplicas();
        List<Pod> current = pods.stream().filter(p -> hash.equals(p.getMetadata().getLabels().get(TEMPLATE_HASH)))
            .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getName())).toList();
        List<Pod> old = pods.stream().filter(p -> !current.contains(p)).toList();
        if (!old.isEmpty() && "Recreate".equals(d.getSpec().getStrategy().getType())) {
            old.forEach(this::delete); // every old pod goes before any new one is created
            return;
        }
        for (int i = current.size(); i < replicas; i++) {
            create(d, hash);
        }
        for (int i = replicas; i < current.size(); i++) {
            delete(current.get(current.size() - 1 - (i - replicas)));
        }
        if (!old.isEmpty() && current.stream().filter(FakeCluster::ready).count() >= replicas) {
            old.forEach(this::delete);
        }
    }

    private void create(Deployment d, String hash) {
        Map<String, String> labels = new java.util.LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(TEMPLATE_HASH, hash);
        String namespace = d.getMetadata().getNamespace();
        client.pods().inNamespace(namespace).resource(new PodBuilder()
            .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash + "-" + podNumbers.incrementAndGet())
            .withNamespace(namespace).withLabels(labels).endMetadata()
            .withSpec(d.getSpec().getTemplate().getSpec())
            .withNewStatus().withPhase("Pending").endStatus()
            .build()).create();
        createdAt.put(d.getMetadata().getName() + "-" + hash + "-" + podNumbers.get(), System.nanoTime());
    }

    /** Starts a pod's container, unless its image is one no registry has ({@code ...:missing}): that never pulls. */
    private void kubelet(Pod pod) {
        if (pod.getSpec().getContainers().get(0).getImage().endsWith(":missing")) {
            if (pod.getStatus().getContainerStatuses().isEmpty()) {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(p -> new PodBuilder(p).editStatus().addNewContainerStatus().withName("app")
                        .withReady(false).withRestartCount(0).withNewState().withNewWaiting()
                        .withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus().endStatus()
                        .build());
            }
            return;
        }
        Long created = createdAt.get(pod.getMetadata().getName());
        if (created != null && System.nanoTime() - created < startupNanos) {
            return; // still starting
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
            .editStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
            .addNewContainerStatus().withName("app").withReady(true).withRestartCount(0).endContainerStatus()
            .endStatus().build());
    }

    private void kubeProxy() {
        Service service = client.services().inAnyNamespace().list().getItems().stream()
            .filter(s -> s.getMetadata().getName().equals(app)).findFirst().orElse(null);
        if (service == null) {
            servable.set(List.of());
            return;
        }
        Map<String, String> selector = service.getSpec().getSelector();
        List<Pod> ready = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(service.getMetadata().getNamespace()).withLabels(selector).list()
            .getItems()) {
            if (ready(pod)) {
                ready.add(pod);
            }
        }
        servable.set(ready);
    }

    private void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** What the real controller hashes: the template, so a changed version or restart annotation is a new hash. */
    private static String templateHash(Deployment d) {
        var meta = d.getSpec().getTemplate().getMetadata();
        return Integer.toHexString(Objects.hash(meta.getLabels(), meta.getAnnotations(),
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()) & 0xfffffff);
    }

    @Override
    public void close() throws Exception {
        ticks.shutdownNow();
        ticks.awaitTermination(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
