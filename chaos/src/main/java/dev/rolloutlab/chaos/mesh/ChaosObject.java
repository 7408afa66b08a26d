package dev.rolloutlab.chaos.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Chaos Mesh object, typed with only the fields rollout-lab sets. fabric8 8 has no Chaos Mesh model (its
 * {@code chaosmesh-client} stops at 7.x, which Maven cannot resolve: the parent POM is missing), so each kind is a
 * small record that renders itself as a {@link GenericKubernetesResource}.
 * Every spec carries {@code duration}: Chaos Mesh recovers the fault by itself even if the harness dies.
 */
public sealed interface ChaosObject permits PodChaos, NetworkChaos, HttpChaos, StressChaos {
    ChaosKind kind();

    ChaosMeta meta();

    /** The {@code spec}, in the field order of the Chaos Mesh reference. */
    Map<String, Object> spec();

    default GenericKubernetesResource toResource() {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(ChaosKind.API_VERSION);
        r.setKind(kind().kind());
        r.setMetadata(new ObjectMetaBuilder().withName(meta().name()).withNamespace(meta().namespace())
            .withLabels(meta().labels()).build());
        r.setAdditionalProperty("spec", spec());
        return r;
    }

    /** A Go duration as Chaos Mesh parses it: {@code 10s}, {@code 1500ms}, {@code 250us}. */
    static String goDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        return nanos % 1_000_000L == 0 ? d.toMillis() + "ms" : nanos / 1_000L + "us";
    }

    /** An insertion-ordered map from key, value pairs, so rendered YAML reads like the reference. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
