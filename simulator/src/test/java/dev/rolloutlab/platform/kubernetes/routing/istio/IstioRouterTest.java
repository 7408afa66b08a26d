package dev.rolloutlab.platform.kubernetes.routing.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class IstioRouterTest {
    /** The mock server logs every request at INFO; held so the level outlives garbage collection. */
    static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    static final Map<String, String> LABELS = labels("r1");
    static final TrafficSplit MESH = new TrafficSplit("lab", "shop", "v1", "v2", LABELS, null, null);
    static final TrafficSplit INGRESS = new TrafficSplit("lab", "shop", "v1", "v2", LABELS, "public", "edge");

    final IstioRouter router = new IstioRouter();
    KubernetesClient client;
    KubernetesMockServer server;

    static Map<String, String> labels(String runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", "rollout-lab");
        labels.put("rollout-lab/run-id", runId);
        return labels;
    }

    /** Walks a resource's {@code spec} by map keys and list indexes. */
    @SuppressWarnings("unchecked")
    static Object spec(GenericKubernetesResource r, Object... path) {
        Object node = r.getAdditionalProperties().get("spec");
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
        }
        return node;
    }

    /** The requests the mock received since the last call, as {@code METHOD path}. */
    List<String> requests() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            requests.add(r.getMethod() + " " + r.getPath());
        }
        return requests;
    }

    GenericKubernetesResource stored(ResourceDefinitionContext context, String namespace, String name) {
        return client.genericKubernetesResources(context).inNamespace(namespace).withName(name).get();
    }

    /** The weights of the default route: stable, then canary. */
    static List<Object> weights(GenericKubernetesResource service) {
        return List.of(spec(service, "http", 1, "route", 0, "weight"), spec(service, "http", 1, "route", 1, "weight"));
    }

    @Test
    void applyMovesTheWeightsAndCreatesTheDestinationRuleOnce() throws InterruptedException {
        router.apply(client, MESH, 0.1);
        GenericKubernetesResource rule = stored(IstioRouter.DESTINATION_RULES, "lab", "shop");
        assertThat(rule.getApiVersion()).isEqualTo("networking.istio.io/v1");
        assertThat(rule.getMetadata().getLabels()).isEqualTo(LABELS);
        assertThat(spec(rule, "host")).isEqualTo("shop");
        assertThat(spec(rule, "subsets")).isEqualTo(List.of(
            Map.of("name", "stable", "labels", Map.of("version", "v1")),
            Map.of("name", "canary", "labels", Map.of("version", "v2"))));

        GenericKubernetesResource service = stored(IstioRouter.VIRTUAL_SERVICES, "lab", "shop");
        assertThat(service.getMetadata().getLabels()).isEqualTo(LABELS);
        assertThat(spec(service, "hosts")).isEqualTo(List.of("shop"));
        assertThat(spec(service)).asInstanceOf(MAP).doesNotContainKey("gateways"); // mesh only
        assertThat(weights(service)).containsExactly(90, 10);
        assertThat(spec(service, "http", 1, "route", 0, "destination"))
            .isEqualTo(Map.of("host", "shop", "subset", "stable", "port", Map.of("number", 80)));
        assertThat(spec(service, "http", 1, "route", 1, "destination"))
            .isEqualTo(Map.of("host", "shop", "subset", "canary", "port", Map.of("number", 80)));
        assertThat(spec(service, "http", 1)).asInstanceOf(MAP).doesNotContainKey("match");

        requests();
        for (double share : new double[] {0.5, 1, 0}) {
            router.apply(client, MESH, share);
            service = stored(IstioRouter.VIRTUAL_SERVICES, "lab", "shop");
            int canary = (int) Math.round(share * 100);
            assertThat(weights(service)).as("at %s", share).containsExactly(100 - canary, canary);
            // The pinned route stays first, so the header wins over the weights at every step.
            assertThat(spec(service, "http", 0, "match"))
                .isEqualTo(List.of(Map.of("headers", Map.of("x-canary", Map.of("exact", "always")))));
            assertThat(spec(service, "http", 0, "route")).isEqualTo(List.of(Map.of("destination",
                Map.of("host", "shop", "subset", "canary", "port", Map.of("number", 80)), "weight", 100)));
        }
        List<String> writes = requests().stream().filter(r -> !r.startsWith("GET ")).toList();
        assertThat(writes).as("the DestinationRule is not rewritten at each step").isNotEmpty()
            .allMatch(r -> r.contains("/virtualservices"));
    }

    /**
     * Istio refuses a wildcard host on a VirtualService bound to the mesh and takes {@code *} beside the app's host
     * for a duplicate: the ingress gets a VirtualService of its own, with the same routes.
     */
    @Test
    void aGatewayGetsAVirtualServiceOfItsOwnBesideTheMeshOne() {
        router.apply(client, INGRESS, 0.25);
        GenericKubernetesResource mesh = stored(IstioRouter.VIRTUAL_SERVICES, "lab", "shop");
        assertThat(spec(mesh, "hosts")).isEqualTo(List.of("shop"));
        assertThat(spec(mesh)).asInstanceOf(MAP).doesNotContainKey("gateways");
        assertThat(weights(mesh)).containsExactly(75, 25);
        GenericKubernetesResource ingress = stored(IstioRouter.VIRTUAL_SERVICES, "lab", "shop-gateway");
        assertThat(spec(ingress, "hosts")).isEqualTo(List.of("*"));
        assertThat(spec(ingress, "gateways")).isEqualTo(List.of("edge/public"));
        assertThat(weights(ingress)).containsExactly(75, 25);
        assertThat(spec(ingress, "http")).isEqualTo(spec(mesh, "http"));
    }

    @Test
    void aDestinationRuleLeftWithOtherVersionsIsUpdated() {
        router.apply(client, new TrafficSplit("lab", "shop", "v0", "v1", labels("r0"), null, null), 1);
        router.apply(client, MESH, 0.1);
        GenericKubernetesResource rule = stored(IstioRouter.DESTINATION_RULES, "lab", "shop");
        assertThat(spec(rule, "subsets", 0, "labels")).isEqualTo(Map.of("version", "v1"));
        assertThat(spec(rule, "subsets", 1, "labels")).isEqualTo(Map.of("version", "v2"));
        assertThat(rule.getMetadata().getLabels()).isEqualTo(LABELS);
    }

    @Test
    void sharesTooSmallOrTooLargeToRoundStillSplit() {
        assertThat(weights(router.objects(MESH, 0.004).get(1))).containsExactly(99, 1);
        assertThat(weights(router.objects(MESH, 0.996).get(1))).containsExactly(1, 99);
        assertThat(weights(router.objects(MESH, 0).get(1))).containsExactly(100, 0);
        assertThat(weights(router.objects(MESH, 1).get(1))).containsExactly(0, 100);
        assertThatThrownBy(() -> router.apply(client, MESH, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(stored(IstioRouter.VIRTUAL_SERVICES, "lab", "shop")).as("nothing sent").isNull();
    }

    @Test
    void objectsRenderAsIstioManifests() {
        List<GenericKubernetesResource> objects = router.objects(INGRESS, 0.1);
        String rule = Serialization.asYaml(objects.get(0));
        assertThat(objects).hasSize(3);
        String service = Serialization.asYaml(objects.get(2));
        assertThat(rule).containsPattern("(?m)^apiVersion: \"?networking\\.istio\\.io/v1\"?$")
            .containsPattern("(?m)^kind: \"?DestinationRule\"?$");
        assertThat(service).containsPattern("(?m)^apiVersion: \"?networking\\.istio\\.io/v1\"?$")
            .containsPattern("(?m)^kind: \"?VirtualService\"?$")
            .containsPattern("(?m)^ +x-canary:$");
        // Field order as in the Istio reference, so a printed manifest reads like the docs.
        assertThat(service.indexOf("hosts:")).isLessThan(service.indexOf("gateways:"));
        assertThat(service.indexOf("gateways:")).isLessThan(service.indexOf("http:"));
    }

    @Test
    void deleteLabelledRemovesOnlyLabelledObjects() {
        router.apply(client, MESH, 0.1);
        router.apply(client, new TrafficSplit("other", "shop", "v1", "v2", LABELS, null, null), 0.1);
        router.apply(client, new TrafficSplit("lab", "cart", "v1", "v2", labels("r2"), null, null), 0.1);
        GenericKubernetesResource unlabelled = VirtualService.of(
            new TrafficSplit("lab", "legacy", "a", "b", null, null, null), 0).get(0).toResource();
        client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICES).inNamespace("lab").resource(unlabelled)
            .create();

        assertThat(router.deleteLabelled(client, "lab", LABELS)).isEqualTo(2);
        assertThat(names(IstioRouter.VIRTUAL_SERVICES)).containsExactlyInAnyOrder("lab/cart", "lab/legacy",
            "other/shop");
        assertThat(names(IstioRouter.DESTINATION_RULES)).containsExactlyInAnyOrder("lab/cart", "other/shop");

        assertThat(router.deleteLabelled(client, null, LABELS)).isEqualTo(2);
        assertThat(names(IstioRouter.VIRTUAL_SERVICES)).containsExactlyInAnyOrder("lab/cart", "lab/legacy");
        assertThat(router.deleteLabelled(client, null, LABELS)).isZero();
        assertThatThrownBy(() -> router.deleteLabelled(client, null, Map.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(names(IstioRouter.VIRTUAL_SERVICES)).hasSize(2);
    }

    List<String> names(ResourceDefinitionContext context) {
        return client.genericKubernetesResources(context).inAnyNamespace().list().getItems().stream()
            .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).toList();
    }

    @Test
    void deleteLabelledOnAClusterWithoutIstioDeletesNothing() {
        KubernetesMockServer bare = new KubernetesMockServer(false); // no expectations: every path answers 404
        bare.init();
        try (KubernetesClient noIstio = bare.createClient()) {
            assertThat(router.deleteLabelled(noIstio, null, LABELS)).isZero();
            assertThat(router.deleteLabelled(noIstio, "lab", LABELS)).isZero();
        } finally {
            bare.destroy();
        }
    }
}
