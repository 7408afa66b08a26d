package dev.rolloutlab.platform.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.kubernetes.objects.RunObjectBuilder;
import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.platform.kubernetes.routing.gatewayapi.GatewayApiRouter;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import dev.rolloutlab.platform.kubernetes.routing.selector.SelectorRouter;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.ScenarioLoader;
import io.fabric8.kubernetes.api.model.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router a scenario's {@code strategy.trafficRouting} picks, and what that choice decides outside the router. */
class TrafficRoutersTest {
    @TempDir
    Path dir;

    private Scenario scenario(String strategy) throws IOException {
        return ScenarioLoader.load(Files.writeString(dir.resolve("shop.yaml"), """
            name: shop
            platform: kubernetes
            service: { replicas: 2, stable: { version: v1 }, candidate: { version: v2 } }
            load: { rate: 10/s, duration: 60s }
            %s
            """.formatted(strategy)));
    }

    private TrafficRouter routerOf(String strategy) throws IOException {
        return TrafficRouters.of(scenario(strategy));
    }

    @Test
    void theStrategysTrafficRoutingPicksTheRouter() throws IOException {
        assertThat(routerOf("strategy: { type: canary, trafficRouting: istio }")).isInstanceOf(IstioRouter.class);
        assertThat(routerOf("strategy: { type: canary, trafficRouting: gatewayApi }"))
            .isInstanceOf(GatewayApiRouter.class);
        assertThat(routerOf("strategy: { type: canary, trafficRouting: replicas }"))
            .isInstanceOf(SelectorRouter.class);
        assertThat(routerOf("strategy: { type: blue-green }")).as("the Kubernetes default, replicas")
            .isInstanceOf(SelectorRouter.class);
        assertThat(routerOf("")).as("a load-only run").isInstanceOf(SelectorRouter.class);
    }

    @Test
    void cleanupAsksEveryRouterForItsLeftovers() {
        assertThat(TrafficRouters.ALL).extracting(Object::getClass).containsExactly(SelectorRouter.class,
            IstioRouter.class, GatewayApiRouter.class);
    }

    @Test
    void clientsEnterThroughTheRoutersPortOnTheHost() throws IOException {
        assertThat(ingressPort("strategy: { type: canary, trafficRouting: replicas }")).isEqualTo(30080);
        assertThat(ingressPort("strategy: { type: canary }\nkubernetes: { nodePort: 31000 }")).isEqualTo(31000);
        assertThat(ingressPort("strategy: { type: canary, trafficRouting: istio }")).isEqualTo(30081);
        assertThat(ingressPort("strategy: { type: canary, trafficRouting: gatewayApi }")).isEqualTo(30082);
    }

    private int ingressPort(String strategy) throws IOException {
        Scenario s = scenario(strategy);
        return TrafficRouters.of(s).ingressPort(s.kubernetes());
    }

    @Test
    void onlyAnIstioRunsNamespaceAsksForSidecars() throws IOException {
        assertThat(namespaceLabels("istio")).containsEntry("istio-injection", "enabled")
            .containsEntry("rollout-lab/run-id", "r1");
        for (String routing : List.of("replicas", "gatewayApi")) {
            assertThat(namespaceLabels(routing)).as(routing).doesNotContainKey("istio-injection")
                .containsEntry("rollout-lab/run-id", "r1");
        }
    }

    /** The labels of the namespace a canary run with this routing creates for itself. */
    private Map<String, String> namespaceLabels(String routing) throws IOException {
        Scenario s = scenario("strategy: { type: canary, trafficRouting: " + routing + " }");
        Namespace namespace = (Namespace) RunObjectManifests.of(s, new RunObjectBuilder(s, "rl-r1", "r1"), true)
            .get(0).object();
        return namespace.getMetadata().getLabels();
    }
}
