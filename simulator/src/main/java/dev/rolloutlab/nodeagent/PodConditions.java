package dev.rolloutlab.nodeagent;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's conditions as the kubelet keeps them: each with the time its status last changed, which stays put while
 * the status does ({@code lastTransitionTime} is what {@code kubectl describe} and the EndpointSlice readiness lag
 * are read from).
 */
final class PodConditions {
    static final String SCHEDULED = "PodScheduled";
    static final String INITIALIZED = "Initialized";
    static final String CONTAINERS_READY = "ContainersReady";
    static final String READY = "Ready";

    private record Held(boolean status, String since) {
    }

    private final Map<String, Held> held = new LinkedHashMap<>();

    /** Sets {@code type}; its transition time moves only when {@code status} differs from before. */
    void set(String type, boolean status, Instant now) {
        Held before = held.get(type);
        if (before == null || before.status() != status) {
            held.put(type, new Held(status, Times.format(now)));
        }
    }

    boolean is(String type) {
        Held h = held.get(type);
        return h != null && h.status();
    }

    List<PodCondition> toList() {
        List<PodCondition> out = new ArrayList<>();
        held.forEach((type, h) -> out.add(new PodConditionBuilder().withType(type)
            .withStatus(h.status() ? "True" : "False").withLastTransitionTime(h.since()).withLastProbeTime(null)
            .build()));
        return out;
    }
}
