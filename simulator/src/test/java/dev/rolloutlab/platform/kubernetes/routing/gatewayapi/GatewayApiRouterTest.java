package dev.rolloutlab.platform.kubernetes.routing.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class GatewayApiRouterTest {
    /** The mock server logs every request at INFO; held so the level outlives garbage collection. */
    static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    static final Map<String, String> LABELS = labels("r1");
    static final TrafficSplit SPLIT = new TrafficSplit("lab", "shop", "v1", "v2", LABELS, "public", "edge");

    final GatewayApiRouter router = new GatewayApiRouter();
    KubernetesClient client;

    static Map<String, String> labels(String runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", "rollout-lab");
        labels.put("rollout-lab/run-id", runId);
        return labels;
    }

    HTTPRoute stored(String namespace, String name) {
        return client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
    }

    static List<String> backends(HTTPRouteRule rule) {
        return rule.getBackendRefs().stream().map(b -> b.getName() + ":" + b.getPort() + "@" + b.getWeight()).toList();
    }

    @Test
    void applyMovesTheWeightsBehindThePinnedRule() {
        for (double share : new double[] {0.1, 0.5, 1, 0}) {
            router.apply(client, SPLIT, share);
            HTTPRoute route = stored("lab", "shop");
            int canary = (int) Math.round(share * 100);

            assertThat(route.getMetadata().getLabels()).isEqualTo(LABELS);
            assertThat(route.getSpec().getParentRefs()).extracting(ParentReference::getName,
                ParentReference::getNamespace).containsExactly(tuple("public", "edge"));
            assertThat(route.getSpec().getHostnames()).isNullOrEmpty();
            assertThat(route.getSpec().getRules()).hasSize(2);

            HTTPRouteRule pinned = route.getSpec().getRules().get(0);
            assertThat(pinned.getMatches()).hasSize(1);
            assertThat(pinned.getMatches().get(0).getHeaders()).extracting(HTTPHeaderMatch::getType,
                HTTPHeaderMatch::getName, HTTPHeaderMatch::getValue)
                .containsExactly(tuple("Exact", "X-Canary", "always"));
            assertThat(backends(pinned)).containsExactly("shop-canary:80@1");

            HTTPRouteRule weighted = route.getSpec().getRules().get(1);
            assertThat(weighted.getMatches()).as("every other request").isNullOrEmpty();
            assertThat(backends(weighted)).as("at %s", share)
                .containsExactly("shop-stable:80@" + (100 - canary), "shop-canary:80@" + canary);
        }
        assertThat(client.resources(HTTPRoute.class).inAnyNamespace().list().getItems()).hasSize(1);
    }

    @Test
    void sharesTooSmallOrTooLargeToRoundStillSplit() {
        assertThat(weights(0.004)).containsExactly(99, 1);
        assertThat(weights(0.996)).containsExactly(1, 99);
    }

    List<Integer> weights(double share) {
        HTTPRoute route = (HTTPRoute) router.objects(SPLIT, share).get(0);
        return route.getSpec().getRules().get(1).getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
    }

    @Test
    void withoutAGatewayThereIsNothingToAttachTo() {
        TrafficSplit meshOnly = new TrafficSplit("lab", "shop", "v1", "v2", LABELS, null, null);
        assertThatThrownBy(() -> router.apply(client, meshOnly, 0.1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kubernetes.gateway");
        assertThatThrownBy(() -> router.objects(meshOnly, 0.1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kubernetes.gateway");
        assertThat(stored("lab", "shop")).isNull();
    }

    @Test
    void theRouteSerialisesAsGatewayApiV1() {
        String yaml = Serialization.asYaml(router.objects(SPLIT, 0.1).get(0));
        assertThat(yaml).containsPattern("(?m)^apiVersion: \"?gateway\\.networking\\.k8s\\.io/v1\"?$")
            .containsPattern("(?m)^kind: \"?HTTPRoute\"?$");
    }

    @Test
    void deleteLabelledRemovesOnlyLabelledRoutes() {
        router.apply(client, SPLIT, 0.1);
        router.apply(client, new TrafficSplit("other", "shop", "v1", "v2", LABELS, "public", "edge"), 0.1);
        router.apply(client,
            new TrafficSplit("lab", "cart", "v1", "v2", labels("r2"), "public", "edge"), 0.1);
        client.resources(HTTPRoute.class).inNamespace("lab").resource(new HTTPRouteBuilder()
            .withNewMetadata().withName("legacy").endMetadata().withNewSpec().endSpec().build()).create();

        assertThat(router.deleteLabelled(client, "lab", LABELS)).isEqualTo(1);
        assertThat(names()).containsExactlyInAnyOrder("lab/cart", "lab/legacy", "other/shop");
        assertThat(router.deleteLabelled(client, null, LABELS)).isEqualTo(1);
        assertThat(names()).containsExactlyInAnyOrder("lab/cart", "lab/legacy");
        assertThatThrownBy(() -> router.deleteLabelled(client, null, Map.of()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    List<String> names() {
        return client.resources(HTTPRoute.class).inAnyNamespace().list().getItems().stream()
            .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).toList();
    }

    @Test
    void deleteLabelledOnAClusterWithoutGatewayApiDeletesNothing() {
        KubernetesMockServer bare = new KubernetesMockServer(false); // no expectations: every path answers 404
        bare.init();
        try (KubernetesClient noGatewayApi = bare.createClient()) {
            assertThat(router.deleteLabelled(noGatewayApi, null, LABELS)).isZero();
            assertThat(router.deleteLabelled(noGatewayApi, "lab", LABELS)).isZero();
        } finally {
            bare.destroy();
        }
    }
}
