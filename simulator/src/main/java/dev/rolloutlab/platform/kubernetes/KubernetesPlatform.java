package dev.rolloutlab.platform.kubernetes;

import static io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.RouteChange;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Kubernetes;
import dev.rolloutlab.scenario.Scenario;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link Platform} on a Kubernetes cluster through fabric8: each replica set is a Deployment, routing is the
 * scenario's {@link TrafficRouter} (the Service's selector, or Istio / Gateway API weights), and a Deployment's own
 * controller carries out recreate, rolling and restart updates. Writes go to the API server in order on one thread,
 * so the strategy's calls return at once as the interface promises; status comes from a pod informer's cache.
 */
public final class KubernetesPlatform implements Platform {
    private record Held(ReplicaSet set, int replicas) {
    }

    private final KubernetesClient client;
    private final Scenario scenario;
    private final RunObjectBuilder objects;
    private final Clock clock;
    private final EventLog events;
    private final int cells;
    private final boolean ownNamespace;
    private final TrafficRouter router;
    private final PodWatch pods;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rollout-lab-kubernetes");
        t.setDaemon(true);
        return t;
    });
    /** Deployment name to the set it holds and its desired replicas, in creation order. */
    private final Map<String, Held> deployments = new LinkedHashMap<>();
    private final Map<ReplicaSet, String> deploymentOf = new HashMap<>();
    private SharedIndexInformer<Pod> informer;
    private Promise<URI> started;
    private Clock.Cancellable startTimeout;
    /** Waits for the entry point once the stable pods are ready; null before. */
    private EntryPoint entryPoint;
    private boolean stopped;

    /**
     * @param ownNamespace the run created {@code objects.namespace()} and deletes it at the end
     * @param cells        cells of a cell-based run, 1 otherwise
     */
    public KubernetesPlatform(KubernetesClient client, Scenario scenario, RunObjectBuilder objects,
                              boolean ownNamespace, Clock clock, EventLog events, int cells) {
        this.client = client;
        this.scenario = scenario;
        this.objects = objects;
        this.ownNamespace = ownNamespace;
        this.clock = clock;
        this.events = events;
        this.cells = cells;
        this.router = TrafficRouters.of(scenario);
        this.pods = new PodWatch(events, this::checkStarted);
    }

    /**
     * Creates the namespace (unless given), the Services, the routing objects and the stable Deployments, then
     * completes with the service's URL from outside once every stable pod is ready, or fails after
     * {@code kubernetes.readyTimeout} naming why pods are not ready (e.g. {@code ImagePullBackOff}).
     */
    @Override
    public synchronized Future<URI> start() {
        if (started != null) {
            return started.future();
        }
        started = Promise.promise();
        String stable = scenario.service().stable().version();
        int n = scenario.service().replicas();
        write("create the run's namespace and Services", () -> {
            if (ownNamespace) {
                client.namespaces().resource(objects.namespaceObject(router.namespaceLabels())).fieldValidation(STRICT).create();
            }
            client.services().resource(objects.mainService()).fieldValidation(STRICT).create();
            router.start(client, objects);
            SharedIndexInformer<Pod> watch = client.pods().inNamespace(objects.namespace())
                .withLabels(objects.runLabels()).inform(pods, 0);
            synchronized (this) {
                informer = watch;
            }
        });
        events.add(EventType.ROUTE, "routing", (cells > 1 ? new Routing.ByCell(cells) : new Routing.AllReady()).toString());
        ReplicaSet.spread(stable, n, cells).forEach((set, replicas) -> create(set, replicas, true));
        startTimeout = clock.schedule(scenario.kubernetes().readyTimeout(), () -> started.tryFail(
            "the stable version was not ready within kubernetes.readyTimeout "
                + Durations.format(scenario.kubernetes().readyTimeout()) + " (pods: " + pods.notReadyReasons() + ")"));
        return started.future();
    }

    private void checkStarted() {
        synchronized (this) {
            if (started == null || started.future().isComplete()) {
                return;
            }
            for (Held held : deployments.values()) {
                if (pods.status(held.set(), held.replicas()).ready() < held.replicas()) {
                    return;
                }
            }
            startTimeout.cancel();
            if (entryPoint != null) {
                return;
            }
            URI url = serviceUrl();
            String via = scenario.kubernetes().serviceUrl() != null ? "kubernetes.serviceUrl" : router.ingressName();
            events.add(EventType.ENTRY_POINT, "url", url.toString(), "via", via);
            Duration patience = scenario.kubernetes().entryPointTimeout();
            EntryPoint probe = new EntryPoint(clock, url, patience);
            entryPoint = probe;
            // On the writer's thread: the first HTTP client of the process loads TLS, seconds on a busy machine.
            writer.execute(() -> probe.await(() -> started.tryComplete(url), failure -> started.tryFail("the stable "
                + "pods are ready, but nothing answered HTTP at " + url + " within kubernetes.entryPointTimeout "
                + Durations.format(patience) + " (" + failure + "): the entry point is " + via)));
        }
    }

    /** {@code kubernetes.serviceUrl}, else the router's port on the host, where kind maps it. */
    private URI serviceUrl() {
        Kubernetes settings = scenario.kubernetes();
        return settings.serviceUrl() != null ? settings.serviceUrl()
            : URI.create("http://127.0.0.1:" + router.ingressPort(settings) + "/");
    }

    @Override
    public synchronized void scale(ReplicaSet set, int replicas) {
        String name = deploymentOf.get(set);
        if (name == null) {
            objects.versionSpec(set.version()); // rejects an unknown version before anything is sent
            create(set, replicas, false);
            return;
        }
        deployments.put(name, new Held(set, replicas));
        write("scale " + name, () -> client.apps().deployments().inNamespace(objects.namespace()).withName(name)
            .fieldValidation(STRICT).edit(d -> {
                d.getSpec().setReplicas(replicas);
                return d;
            }));
    }

    private void create(ReplicaSet set, int replicas, boolean first) {
        String name = objects.deploymentName(set, first);
        deployments.put(name, new Held(set, replicas));
        deploymentOf.put(set, name);
        Deployment d = objects.deployment(name, set, replicas);
        write("create " + name, () -> client.apps().deployments().resource(d).fieldValidation(STRICT).create());
    }

    @Override
    public synchronized ReplicaSetStatus status(ReplicaSet set) {
        String name = deploymentOf.get(set);
        return pods.status(set, name == null ? 0 : deployments.get(name).replicas());
    }

    /** Sends the router's writes for {@code routing}, after the changes before them. */
    @Override
    public synchronized void route(Routing routing) {
        events.add(EventType.ROUTE, "routing", routing.toString());
        for (RouteChange change : router.route(objects, routing)) {
            write(change.what(), () -> change.applyTo(client));
        }
    }

    /** Patches the Deployments of {@code from} with {@code to}'s template and {@code how} as their strategy. */
    @Override
    public synchronized boolean updateInPlace(String from, String to, DeploymentUpdate how) {
        String restartedAt = how.restart() ? RunObjectBuilder.restartedAt(Instant.now()) : null;
        for (Map.Entry<String, Held> e : deployments.entrySet()) {
            Held held = e.getValue();
            if (!held.set().version().equals(from)) {
                continue;
            }
            String name = e.getKey();
            ReplicaSet target = new ReplicaSet(to, held.set().cell());
            e.setValue(new Held(target, held.replicas()));
            deploymentOf.remove(held.set());
            deploymentOf.put(target, name);
            var template = objects.podTemplate(name, target);
            if (restartedAt != null) {
                template.getMetadata().setAnnotations(Map.of(RunObjectBuilder.RESTARTED_AT, restartedAt));
            }
            var strategy = RunObjectBuilder.strategy(how);
            write("update " + name + " to " + to, () -> client.apps().deployments().inNamespace(objects.namespace())
                .withName(name).fieldValidation(STRICT).edit(d -> {
                    d.getSpec().setStrategy(strategy);
                    d.getSpec().setTemplate(template);
                    return d;
                }));
        }
        return true;
    }

    /** Deletes every object of the run (the namespace too when the run created it), then stops the writer. */
    @Override
    public synchronized Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        if (stopped) {
            done.complete();
            return done.future();
        }
        stopped = true;
        if (startTimeout != null) {
            startTimeout.cancel();
        }
        if (entryPoint != null) {
            entryPoint.cancel();
        }
        try {
            writer.execute(() -> {
                try {
                    synchronized (this) {
                        if (informer != null) {
                            informer.stop();
                        }
                    }
                    deleteRunObjects();
                    done.complete();
                } catch (RuntimeException e) {
                    done.fail(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.fail(e);
        }
        writer.shutdown();
        return done.future();
    }

    /**
     * Deletes the run's objects, once more if a request failed on the way (an API server that timed out or dropped
     * the connection for a moment): what the first pass deleted is gone, so the second deletes only what is left.
     */
    private void deleteRunObjects() {
        RunObjectCleanup.Namespaces namespaces = ownNamespace ? RunObjectCleanup.Namespaces.OWN
            : RunObjectCleanup.Namespaces.NONE;
        RunObjectCleanup.Cleaned cleaned;
        try {
            cleaned = RunObjectCleanup.delete(client, objects.namespace(), objects.runId(), namespaces, r -> { });
        } catch (KubernetesClientException first) {
            events.add(EventType.PLATFORM_ERROR, "message", "cleanup, retrying: "
                + first.getMessage().lines().findFirst().orElse(""));
            cleaned = RunObjectCleanup.delete(client, objects.namespace(), objects.runId(), namespaces, r -> { });
        }
        cleaned.left().forEach(left -> events.add(EventType.PLATFORM_ERROR, "message", "cleanup could not delete "
            + left + "; rollout-lab cleanup --run " + objects.runId() + " with more rights removes them"));
    }

    /**
     * Sends a change to the API server after the ones before it. A refused change is an event, and fails the start
     * while the run is still starting, so that a bad image or missing CRD stops the run with the API server's reason.
     */
    private void write(String what, Runnable change) {
        try {
            writer.execute(() -> {
                try {
                    change.run();
                } catch (KubernetesClientException e) {
                    String message = what + ": " + e.getMessage().lines().findFirst().orElse("");
                    events.add(EventType.PLATFORM_ERROR, "message", message);
                    Promise<URI> starting;
                    synchronized (this) {
                        starting = started;
                    }
                    if (starting != null) {
                        starting.tryFail(message);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // stop() has begun: the run's objects are being deleted, so a late change has nothing to act on.
        }
    }
}
