package dev.rolloutlab.chaos.mesh;

import java.time.Duration;
import java.util.Map;

/**
 * {@code HTTPChaos} on responses: every HTTP response the selected pods send on {@code port} for requests of
 * {@code path} gets its status replaced by {@code code}. The path keeps the kubelet's readiness probes out: without
 * it they would fail too, the pods would leave the endpoints, and an error fault would become an outage or move the
 * traffic away from the faulty pods. HTTPChaos has no per-request probability, so a share of requests is
 * approximated by the share of pods selected (see {@link ChaosMeshFaults}).
 */
public record HttpChaos(ChaosMeta meta, PodSelection pods, int port, String path, int code, Duration duration)
    implements ChaosObject {
    @Override
    public ChaosKind kind() {
        return ChaosKind.HTTP_CHAOS;
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> spec = ChaosObject.map();
        pods.writeTo(spec);
        spec.put("target", "Response");
        spec.put("port", port);
        spec.put("path", path);
        spec.put("replace", ChaosObject.map("code", code));
        spec.put("duration", ChaosObject.goDuration(duration));
        return spec;
    }
}
