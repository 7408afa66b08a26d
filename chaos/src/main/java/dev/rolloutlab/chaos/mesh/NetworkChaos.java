package dev.rolloutlab.chaos.mesh;

import java.time.Duration;
import java.util.Map;

/** {@code NetworkChaos}: delays or drops the selected pods' packets, or cuts them off entirely. */
public record NetworkChaos(ChaosMeta meta, PodSelection pods, Effect effect, Duration duration) implements ChaosObject {
    /** The {@code action} and its own spec fields. */
    public sealed interface Effect permits Delay, Loss, Partition {
        String action();

        void writeTo(Map<String, Object> spec);
    }

    /** {@code action: delay} with {@code delay: {latency, jitter}}; jitter may be {@code null}. */
    public record Delay(Duration latency, Duration jitter) implements Effect {
        @Override
        public String action() {
            return "delay";
        }

        @Override
        public void writeTo(Map<String, Object> spec) {
            Map<String, Object> delay = ChaosObject.map("latency", ChaosObject.goDuration(latency));
            if (jitter != null) {
                delay.put("jitter", ChaosObject.goDuration(jitter));
            }
            spec.put("delay", delay);
        }
    }

    /** {@code action: loss} with {@code loss: {loss: "<percent>"}}. */
    public record Loss(String percent) implements Effect {
        @Override
        public String action() {
            return "loss";
        }

        @Override
        public void writeTo(Map<String, Object> spec) {
            spec.put("loss", ChaosObject.map("loss", percent));
        }
    }

    /**
     * {@code action: partition}, {@code direction: both}, with no {@code target}: Chaos Mesh then drops all traffic to
     * and from the selected pods (ingress, probes and peers alike), not only traffic towards a chosen peer set.
     */
    public record Partition() implements Effect {
        @Override
        public String action() {
            return "partition";
        }

        @Override
        public void writeTo(Map<String, Object> spec) {
            spec.put("direction", "both");
        }
    }

    @Override
    public ChaosKind kind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> spec = ChaosObject.map("action", effect.action());
        pods.writeTo(spec);
        effect.writeTo(spec);
        spec.put("duration", ChaosObject.goDuration(duration));
        return spec;
    }
}
