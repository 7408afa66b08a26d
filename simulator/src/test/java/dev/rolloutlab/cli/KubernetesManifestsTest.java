package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rollout-lab manifests --platform kubernetes} for every strategy and routing: each printed Kubernetes object
 * reads back into its fabric8 model class with no field the model does not know (a misspelt field would land in
 * {@code additionalProperties}), and the set of objects is what a run creates.
 */
class KubernetesManifestsTest {
    @TempDir
    Path dir;

    static Stream<String[]> strategies() {
        return Stream.of(
            new String[] {"{ type: recreate }", "Namespace, Service shop, Deployment shop, Deployment shop"},
            new String[] {"{ type: rolling }", "Namespace, Service shop, Deployment shop, Deployment shop"},
            new String[] {"{ type: hot-patch }", "Namespace, Service shop, Deployment shop, Deployment shop"},
            new String[] {"{ type: blue-green }",
                "Namespace, Service shop, Deployment shop, Deployment shop-v2, Service shop-preview"},
            new String[] {"{ type: canary, steps: [ {setWeight: 10} ] }",
                "Namespace, Service shop, Deployment shop, Deployment shop-v2"},
            new String[] {"{ type: canary, trafficRouting: istio, steps: [ {setWeight: 10} ] }",
                "Namespace, Service shop, DestinationRule shop, VirtualService shop, VirtualService shop-gateway, "
                    + "Deployment shop, Deployment shop-v2"},
            new String[] {"{ type: canary, trafficRouting: gatewayApi, steps: [ {setWeight: 10} ] }",
                "Namespace, Service shop, Service shop-stable, Service shop-canary, HTTPRoute shop, Deployment shop, "
                    + "Deployment shop-v2"},
            new String[] {"{ type: cell-based, cells: 2 }", "Namespace, Service shop, Deployment shop-cell-1, "
                + "Deployment shop-cell-2, Deployment shop-v2-cell-1, Deployment shop-v2-cell-2"});
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void everyObjectIsValidForItsModelClass(String strategy, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("shop.yaml"), """
            name: shop
            platform: kubernetes
            service:
              replicas: 4
              candidate: { version: v2, behavior: { errorRate: 0.5, latency: 20ms } }
              termination: { preStop: 2s, gracePeriod: 10s }
            load: { rate: 100/s, duration: 60s }
            strategy: %s
            """.formatted(strategy));
        Cli run = Cli.run("manifests", file.toString(), "--platform", "kubernetes", "--run-id", "r1");

        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        List<String> names = new ArrayList<>();
        for (JsonNode doc : ManifestsCommandTest.documents(run.out())) {
            String yaml = new YAMLMapper().writeValueAsString(doc);
            HasMetadata object = Serialization.unmarshal(yaml);
            String kind = doc.get("kind").asText();
            names.add(kind.equals("Namespace") ? kind : kind + " " + object.getMetadata().getName());
            assertThat(object.getMetadata().getLabels()).containsEntry("rollout-lab/run-id", "r1");
            if (doc.get("apiVersion").asText().startsWith("networking.istio.io")) {
                assertThat(object).isInstanceOf(GenericKubernetesResource.class); // no Istio model: see IstioRouterTest
            } else {
                assertThat(object).as(kind).isNotInstanceOf(GenericKubernetesResource.class);
                assertNoUnknownFields(object, kind);
            }
        }
        assertThat(String.join(", ", names)).isEqualTo(expected);
        assertThat(run.out()).contains("--error-rate", "0.5", "--latency", "20ms", "seconds: 2",
            "terminationGracePeriodSeconds: 12", "nodePort: 30080");
    }

    /** Walks the model's getters: any non-empty {@code additionalProperties} is a field the model does not have. */
    private static void assertNoUnknownFields(Object model, String path) {
        walk(model, path, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void walk(Object value, String path, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = m.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (m.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) child).as("unknown fields at " + path).isNullOrEmpty();
            } else {
                walk(child, path + "." + m.getName().substring(3), seen);
            }
        }
    }
}
