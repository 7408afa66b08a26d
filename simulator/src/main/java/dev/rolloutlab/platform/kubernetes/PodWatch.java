package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.platform.ReplicaEvents;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's pods as an informer delivers them, turned into the same replica events the local platform logs
 * ({@code replica-started}, {@code -ready}, {@code -not-ready}, {@code -restarted}, {@code -terminating},
 * {@code -terminated}) and into per-set counts for {@link KubernetesPlatform#status}. A pod belongs to the set of its
 * {@code version} and {@code cell} labels; restarts are the sum of its containers' {@code restartCount}.
 */
final class PodWatch implements ResourceEventHandler<Pod> {
    private record PodState(ReplicaSet set, boolean ready, int restarts, boolean terminating, String waiting) {
    }

    private final EventLog events;
    private final Runnable onChange;
    private final Map<String, PodState> pods = new HashMap<>();

    PodWatch(EventLog events, Runnable onChange) {
        this.events = events;
        this.onChange = onChange;
    }

    @Override
    public void onAdd(Pod pod) {
        onUpdate(null, pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod pod) {
        synchronized (this) {
            String name = pod.getMetadata().getName();
            PodState before = pods.get(name);
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                if (before != null) {
                    pods.remove(name);
                    log(EventType.REPLICA_TERMINATED, name, before.set(), "reason", phase.toLowerCase());
                }
            } else {
                PodState now = state(pod);
                if (now == null) {
                    return; // not one of the run's workload pods
                }
                pods.put(name, now);
                transitions(name, before, now);
            }
        }
        onChange.run();
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        synchronized (this) {
            String name = pod.getMetadata().getName();
            PodState before = pods.remove(name);
            if (before != null) {
                log(EventType.REPLICA_TERMINATED, name, before.set(), "reason", "deleted");
            }
        }
        onChange.run();
    }

    private void transitions(String name, PodState before, PodState now) {
        if (before == null) {
            log(EventType.REPLICA_STARTED, name, now.set());
        }
        if (now.restarts() > (before == null ? 0 : before.restarts())) {
            log(EventType.REPLICA_RESTARTED, name, now.set(), "restarts", now.restarts());
        }
        if (now.terminating() && (before == null || !before.terminating())) {
            log(EventType.REPLICA_TERMINATING, name, now.set());
        }
        boolean wasReady = before != null && before.ready();
        if (now.ready() && !wasReady) {
            log(EventType.REPLICA_READY, name, now.set());
        } else if (!now.ready() && wasReady) {
            log(EventType.REPLICA_NOT_READY, name, now.set());
        }
    }

    /** Counts of one set; a terminating pod runs but is out of the Service's endpoints, so it is not ready. */
    synchronized ReplicaSetStatus status(ReplicaSet set, int desired) {
        int running = 0;
        int ready = 0;
        int restarts = 0;
        for (PodState p : pods.values()) {
            if (p.set().equals(set)) {
                running++;
                ready += p.ready() ? 1 : 0;
                restarts += p.restarts();
            }
        }
        return new ReplicaSetStatus(desired, running, ready, restarts);
    }

    /** Why pods of a set are not ready, e.g. {@code 2 ImagePullBackOff, 1 not ready}, for a start that timed out. */
    synchronized String notReadyReasons() {
        Map<String, Integer> reasons = new TreeMap<>();
        for (PodState p : pods.values()) {
            if (!p.ready()) {
                reasons.merge(p.waiting() != null ? p.waiting() : "not ready", 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(n + " " + reason));
        return parts.isEmpty() ? "no pod created" : String.join(", ", parts);
    }

    private static PodState state(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String version = labels == null ? null : labels.get(RunObjectBuilder.VERSION_LABEL);
        if (version == null) {
            return null;
        }
        String cell = labels.get(RunObjectBuilder.CELL_LABEL);
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        boolean ready = false;
        int restarts = 0;
        String waiting = null;
        if (pod.getStatus() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                ready |= "Ready".equals(c.getType()) && "True".equals(c.getStatus());
            }
            // Init containers too: a native sidecar (an init container that keeps running) restarts and waits like
            // the app, and a pod stuck in an init container waits there.
            List<ContainerStatus> containers = new ArrayList<>(pod.getStatus().getInitContainerStatuses());
            containers.addAll(pod.getStatus().getContainerStatuses());
            for (ContainerStatus c : containers) {
                restarts += c.getRestartCount() == null ? 0 : c.getRestartCount();
                if (waiting == null && c.getState() != null && c.getState().getWaiting() != null) {
                    waiting = c.getState().getWaiting().getReason();
                }
            }
        }
        return new PodState(new ReplicaSet(version, cell == null ? 0 : Integer.parseInt(cell)), ready && !terminating,
            restarts, terminating, waiting);
    }

    private void log(EventType type, String pod, ReplicaSet set, Object... extra) {
        ReplicaEvents.log(events, type, pod, set, extra);
    }
}
