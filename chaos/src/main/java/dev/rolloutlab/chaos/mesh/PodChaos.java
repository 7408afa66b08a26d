package dev.rolloutlab.chaos.mesh;

import java.time.Duration;
import java.util.Map;

/** {@code PodChaos}: kills pods, or makes them fail (their containers swapped for a pause image) for a while. */
public record PodChaos(ChaosMeta meta, Action action, PodSelection pods, Duration duration) implements ChaosObject {
    public enum Action {
        POD_KILL("pod-kill"), POD_FAILURE("pod-failure");

        final String name;

        Action(String name) {
            this.name = name;
        }
    }

    @Override
    public ChaosKind kind() {
        return ChaosKind.POD_CHAOS;
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> spec = ChaosObject.map("action", action.name);
        pods.writeTo(spec);
        spec.put("duration", ChaosObject.goDuration(duration));
        return spec;
    }
}
