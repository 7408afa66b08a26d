package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.chaos.mesh.ChaosKind;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The changes a run makes to Deployments, Services and routes, as watches on the API server mock see them, each
 * described by what matters to a rollout (a Deployment's version, replicas and strategy; a Service's selected
 * version; a route's weights; a Chaos Mesh object's existence), and logged only when that description changes.
 */
final class ChangeLog implements AutoCloseable {
    private final List<String> changes = new ArrayList<>();
    private final Map<String, String> last = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();

    ChangeLog(KubernetesClient client) {
        watches.add(client.apps().deployments().inAnyNamespace().watch(watcher(ChangeLog::describe)));
        watches.add(client.services().inAnyNamespace().watch(watcher(ChangeLog::describe)));
        watches.add(client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICES).inAnyNamespace()
            .watch(watcher(ChangeLog::describe)));
        watches.add(client.resources(HTTPRoute.class).inAnyNamespace().watch(watcher(ChangeLog::describe)));
        for (ChaosKind kind : ChaosKind.values()) {
            watches.add(client.genericKubernetesResources(kind.context()).inAnyNamespace()
                .watch(watcher(chaos -> "created")));
        }
    }

    /** Forgets what was logged so far: a repeated run starts a fresh log. */
    synchronized void clear() {
        changes.clear();
    }

    synchronized List<String> changes() {
        return List.copyOf(changes);
    }

    /**
     * Waits until the watches have delivered the deletion of every object they saw: a run deletes all it created,
     * and a watch reports it a moment after the API server did it.
     */
    synchronized void awaitAllDeleted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (last.values().stream().anyMatch(text -> !text.endsWith(" deleted"))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not deleted within " + timeout + ": " + last.values().stream()
                    .filter(text -> !text.endsWith(" deleted")).toList());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Changes whose text starts with {@code prefix}, e.g. {@code "Deployment shop "}. */
    synchronized List<String> changes(String prefix) {
        return changes.stream().filter(c -> c.startsWith(prefix)).toList();
    }

    private <T extends HasMetadata> Watcher<T> watcher(Function<T, String> describe) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                String key = object.getKind() + " " + object.getMetadata().getName();
                String text = action == Action.DELETED ? key + " deleted" : key + " " + describe.apply(object);
                synchronized (ChangeLog.this) {
                    if (!text.equals(last.put(key, text))) {
                        changes.add(text);
                        ChangeLog.this.notifyAll();
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static String describe(Deployment d) {
        var template = d.getSpec().getTemplate();
        String restarted = template.getMetadata().getAnnotations() != null
            && template.getMetadata().getAnnotations().containsKey(RunObjectBuilder.RESTARTED_AT) ? " restarted" : "";
        var strategy = d.getSpec().getStrategy();
        String how = strategy.getRollingUpdate() == null ? strategy.getType()
            : strategy.getType() + "(" + strategy.getRollingUpdate().getMaxSurge().getValue() + ","
                + strategy.getRollingUpdate().getMaxUnavailable().getValue() + ")";
        return template.getMetadata().getLabels().get(RunObjectBuilder.VERSION_LABEL) + " x" + d.getSpec().getReplicas()
            + " " + how + restarted;
    }

    private static String describe(Service s) {
        String version = s.getSpec().getSelector().get(RunObjectBuilder.VERSION_LABEL);
        return "selects " + (version == null ? "all" : version);
    }

    @SuppressWarnings("unchecked")
    private static String describe(GenericKubernetesResource vs) {
        Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
        List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
        Map<String, Integer> weights = new TreeMap<>();
        for (Map<String, Object> d : (List<Map<String, Object>>) http.get(http.size() - 1).get("route")) {
            weights.put((String) ((Map<String, Object>) d.get("destination")).get("subset"), (Integer) d.get("weight"));
        }
        return "weights " + weights;
    }

    private static String describe(HTTPRoute route) {
        var rules = route.getSpec().getRules();
        Map<String, Integer> weights = new TreeMap<>();
        rules.get(rules.size() - 1).getBackendRefs().forEach(b -> weights.put(b.getName(), b.getWeight()));
        return "weights " + weights;
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }
}
