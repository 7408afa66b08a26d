package dev.rolloutlab.platform.kubernetes.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.kubernetes.RunObjectCleanup;
import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.gatewayapi.GatewayApiRouter;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import dev.rolloutlab.platform.kubernetes.routing.selector.SelectorRouter;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioLoader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * What every {@link TrafficRouter} promises, checked against the API server mock (CRUD): at start all traffic goes
 * to the stable version, and a candidate share of 0, 0.3 and 1 reaches the candidate as that share, in whatever the
 * router expresses it by (Service selector and replica counts, VirtualService or HTTPRoute weights); everything it
 * creates carries the run's labels and is what it lists as manifests; routing the same way twice changes nothing;
 * and cleanup by the run's labels removes all of it and nothing of another run.
 */
@EnableKubernetesMockClient(crud = true)
class TrafficRouterContractTest {
    /** The mock server logs every request at INFO; held so the level outlives garbage collection. */
    static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    static final int REPLICAS = 10;

    /** How a router's routing reads on the cluster: the candidate's share of the app's traffic. */
    interface Reading {
        double candidateShare(KubernetesClient client, RunObjectBuilder objects);
    }

    record Router(String name, TrafficRouter router, Reading reading) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Router> routers() {
        return Stream.of(
            new Router("selector", new SelectorRouter(), TrafficRouterContractTest::shareOfSelectedPods),
            new Router("istio", new IstioRouter(), TrafficRouterContractTest::virtualServiceShare),
            new Router("gatewayApi", new GatewayApiRouter(), TrafficRouterContractTest::httpRouteShare));
    }

    KubernetesClient client;

    @TempDir
    Path dir;

    private RunObjectBuilder run;
    private RunObjectBuilder otherRun;

    @BeforeEach
    void scenario() throws IOException {
        Scenario scenario = ScenarioLoader.load(Files.writeString(dir.resolve("shop.yaml"), """
            name: shop
            platform: kubernetes
            service: { replicas: %d, stable: { version: v1 }, candidate: { version: v2 } }
            load: { rate: 10/s, duration: 60s }
            strategy: { type: canary, steps: [ {setWeight: 30} ] }
            """.formatted(REPLICAS)));
        run = new RunObjectBuilder(scenario, "lab", "r1");
        otherRun = new RunObjectBuilder(scenario, "other", "r2");
    }

    /** The run's Service, then the router's own objects, as the platform creates them at start. */
    private void start(Router r, RunObjectBuilder objects) {
        client.services().resource(objects.mainService()).create();
        r.router().start(client, objects);
    }

    private void route(Router r, RunObjectBuilder objects, Routing routing) {
        r.router().route(objects, routing).forEach(change -> change.applyTo(client));
    }

    private static Routing.Weighted share(double candidateShare) {
        return new Routing.Weighted("v1", "v2", candidateShare);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void startSendsAllTrafficToStableThroughWhatItListsAsManifests(Router r) {
        scaleAsTheStrategyWould(0);
        start(r, run);

        assertThat(r.reading().candidateShare(client, run)).isZero();
        List<String> created = names(objectsIn("lab"));
        created.remove("Service shop"); // the run's own, created before the router's
        assertThat(created).containsExactlyInAnyOrderElementsOf(names(r.router().startObjects(run)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void aShareReachesTheCandidateAsTheRouterExpressesIt(Router r) {
        start(r, run);
        for (double share : new double[] {0, 0.3, 1}) {
            scaleAsTheStrategyWould(share);
            route(r, run, share(share));
            assertThat(r.reading().candidateShare(client, run)).as("at %s", share).isCloseTo(share, within(1e-9));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void everythingItCreatesCarriesTheRunsLabels(Router r) {
        start(r, run);
        route(r, run, share(0.3));
        route(r, run, new Routing.Selector("v2"));

        List<HasMetadata> created = objectsIn("lab");
        assertThat(created).isNotEmpty().allSatisfy(o -> assertThat(o.getMetadata().getLabels())
            .as(o.getKind() + " " + o.getMetadata().getName()).containsAllEntriesOf(run.runLabels()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void routingTheSameWayAgainChangesNothing(Router r) {
        start(r, run);
        for (Routing routing : List.of(share(0.3), new Routing.Selector("v2"))) {
            route(r, run, routing);
            Map<String, String> before = state(objectsIn("lab"));
            route(r, run, routing);
            assertThat(state(objectsIn("lab"))).as(routing.toString()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routers")
    void cleanupByTheRunsLabelsRemovesAllItCreatedAndNothingElse(Router r) {
        start(r, run);
        route(r, run, share(0.3));
        route(r, run, new Routing.Selector("v2"));
        start(r, otherRun);
        route(r, otherRun, share(0.3));
        Map<String, String> other = state(objectsIn("other"));

        assertThat(RunObjectCleanup.delete(client, null, "r1", RunObjectCleanup.Namespaces.LABELLED, deleted -> { })
            .deleted()).isPositive();
        assertThat(objectsIn("lab")).isEmpty();
        assertThat(state(objectsIn("other"))).isEqualTo(other);
        assertThat(RunObjectCleanup.delete(client, "lab", "r1", RunObjectCleanup.Namespaces.LABELLED, deleted -> { })
            .deleted()).isZero();
    }

    /**
     * Stable and candidate pods as a strategy that has no router scales them for a share; a router that weights
     * traffic keeps the weights whatever the pods.
     */
    private void scaleAsTheStrategyWould(double candidateShare) {
        client.pods().inNamespace("lab").list().getItems()
            .forEach(p -> client.pods().inNamespace("lab").withName(p.getMetadata().getName()).delete());
        int candidates = (int) Math.round(REPLICAS * candidateShare);
        for (int i = 0; i < REPLICAS; i++) {
            String version = i < candidates ? "v2" : "v1";
            Map<String, String> labels = new LinkedHashMap<>(run.selector(version));
            client.pods().inNamespace("lab").resource(new PodBuilder().withNewMetadata().withName("shop-" + i)
                .withLabels(labels).endMetadata().build()).create();
        }
    }

    /** The candidate's share of the pods the run's Service selects: how kube-proxy spreads requests. */
    private static double shareOfSelectedPods(KubernetesClient client, RunObjectBuilder objects) {
        Service service = client.services().inNamespace(objects.namespace()).withName(objects.app()).get();
        List<Pod> selected = client.pods().inNamespace(objects.namespace())
            .withLabels(service.getSpec().getSelector()).list().getItems();
        long candidates = selected.stream()
            .filter(p -> objects.candidateVersion().equals(p.getMetadata().getLabels().get("version"))).count();
        return (double) candidates / selected.size();
    }

    /** The canary subset's weight in the VirtualService's last (unmatched) route. */
    @SuppressWarnings("unchecked")
    private static double virtualServiceShare(KubernetesClient client, RunObjectBuilder objects) {
        GenericKubernetesResource service = client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICES)
            .inNamespace(objects.namespace()).withName(objects.app()).get();
        List<Map<String, Object>> http = (List<Map<String, Object>>) ((Map<String, Object>) service
            .getAdditionalProperties().get("spec")).get("http");
        int canary = 0;
        int all = 0;
        for (Map<String, Object> d : (List<Map<String, Object>>) http.get(http.size() - 1).get("route")) {
            int weight = (Integer) d.get("weight");
            all += weight;
            if (IstioRouter.CANARY_SUBSET.equals(((Map<String, Object>) d.get("destination")).get("subset"))) {
                canary += weight;
            }
        }
        return (double) canary / all;
    }

    /** The canary Service's weight in the HTTPRoute's last (unmatched) rule. */
    private static double httpRouteShare(KubernetesClient client, RunObjectBuilder objects) {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(objects.namespace()).withName(objects.app())
            .get();
        List<HTTPRouteRule> rules = route.getSpec().getRules();
        List<HTTPBackendRef> backends = rules.get(rules.size() - 1).getBackendRefs();
        int all = backends.stream().mapToInt(HTTPBackendRef::getWeight).sum();
        int canary = backends.stream().filter(b -> b.getName().equals(objects.trafficSplit().canaryService()))
            .mapToInt(HTTPBackendRef::getWeight).sum();
        return (double) canary / all;
    }

    /** Every object of the kinds a router creates (Services included) in one namespace. */
    private List<HasMetadata> objectsIn(String namespace) {
        List<HasMetadata> found = new ArrayList<>(client.services().inNamespace(namespace).list().getItems());
        found.addAll(client.genericKubernetesResources(IstioRouter.DESTINATION_RULES).inNamespace(namespace).list()
            .getItems());
        found.addAll(client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICES).inNamespace(namespace).list()
            .getItems());
        found.addAll(client.resources(HTTPRoute.class).inNamespace(namespace).list().getItems());
        return found;
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return new ArrayList<>(objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList());
    }

    /** Each object's labels and spec by kind and name: what routing changes, without the server's bookkeeping. */
    private static Map<String, String> state(List<HasMetadata> objects) {
        Map<String, String> state = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            JsonNode tree = Serialization.jsonMapper().valueToTree(o);
            state.put(o.getKind() + " " + o.getMetadata().getName(),
                o.getMetadata().getLabels() + " " + tree.get("spec"));
        }
        return state;
    }
}
