package dev.rolloutlab.chaos.mesh;

import java.time.Duration;
import java.util.Map;

/** {@code StressChaos} with a CPU stressor: {@code workers} threads each burning {@code load} percent of a CPU. */
public record StressChaos(ChaosMeta meta, PodSelection pods, int workers, int load, Duration duration)
    implements ChaosObject {
    @Override
    public ChaosKind kind() {
        return ChaosKind.STRESS_CHAOS;
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> spec = ChaosObject.map();
        pods.writeTo(spec);
        spec.put("stressors", ChaosObject.map("cpu", ChaosObject.map("workers", workers, "load", load)));
        spec.put("duration", ChaosObject.goDuration(duration));
        return spec;
    }
}
