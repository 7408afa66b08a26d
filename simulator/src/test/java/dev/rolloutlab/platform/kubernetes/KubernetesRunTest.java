package dev.rolloutlab.platform.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.engine.Run;
import dev.rolloutlab.engine.ScenarioRuns;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.ScenarioLoader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole runs on the Kubernetes platform against the API server mock (CRUD), with {@link FakeCluster} playing the
 * controllers, the kubelet and kube-proxy: for each strategy, the objects the run creates and the changes it makes,
 * in order, and a result with events; and afterwards no labelled object left, after an abort too.
 */
class KubernetesRunTest {
    private MockApiServer server;
    private KubernetesClient client;

    @TempDir
    Path dir;

    private FakeCluster cluster;
    private URI front;
    private ChangeLog log;
    private KubernetesClient watchClient;

    @BeforeEach
    void startCluster() throws Exception {
        server = MockApiServer.start();
        client = server.client();
        cluster = new FakeCluster(client, "shop");
        front = cluster.start(20);
        // The log's watches hold connections for the whole test: on a client of their own they never take the
        // connections the run's requests (its cleanup among them) wait for.
        watchClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        log = new ChangeLog(watchClient);
    }

    @AfterEach
    void stopCluster() throws Exception {
        log.close();
        KubernetesClients.close(watchClient);
        cluster.close();
        server.close();
    }

    private String scenario(String strategy, String extra) {
        return """
            name: shop
            platform: kubernetes
            service:
              replicas: 2
              stable: { version: v1 }
              candidate: { version: v2 }
              readiness: { path: /healthz, period: 1s }
            load: { rate: 100/s, duration: 4s, warmup: 0s, timeout: 500ms }
            strategy: %s
            kubernetes: { serviceUrl: "%s" }
            %s
            """.formatted(strategy, front, extra);
    }

    private RunResult run(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"), yaml);
        var scenario = ScenarioLoader.load(file);
        RunResult result = ScenarioRuns.untilValid(() -> {
            freshLog();
            return new Run(scenario, client, Duration.ofSeconds(30), p -> { }).execute();
        });
        assertThat(cluster.failure()).isNull();
        log.awaitAllDeleted(Duration.ofSeconds(10));
        return result;
    }

    /** An invalid run is repeated: once the previous attempt's objects are gone, only the next one's changes count. */
    private void freshLog() {
        try {
            log.awaitAllDeleted(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        log.clear();
    }

    private static List<String> types(RunResult r) {
        return r.events().stream().map(Event::type).toList();
    }

    private void assertNothingLeft() {
        assertThat(RunObjectCleanup.remaining(client, null, null)).isZero();
        assertThat(client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICES).inAnyNamespace().list().getItems())
            .isEmpty();
        assertThat(client.resources(HTTPRoute.class).inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void recreateIsTheDeploymentsOwnUpdate() throws Exception {
        cluster.podStartup(Duration.ofMillis(300));
        RunResult r = run(scenario("{ type: recreate, startAt: 1s }", ""));

        assertThat(r.outcome()).isEqualTo("promoted");
        assertThat(r.platform()).isEqualTo("kubernetes");
        assertThat(log.changes("Deployment ")).containsExactly(
            "Deployment shop v1 x2 RollingUpdate",
            "Deployment shop v2 x2 Recreate",
            "Deployment shop deleted");
        assertThat(log.changes("Service shop ")).containsExactly("Service shop selects all", "Service shop deleted");
        assertThat(types(r)).contains("kubernetes", "replica-started", "replica-ready", "deployment-update",
            "replica-terminated", "rollout-complete");
        // Nothing served between the last v1 pod going and the first v2 pod turning ready: the Recreate outage, the
        // pods' 300 ms start-up plus the ticks the controllers take to notice (one to delete the old pods, one to
        // create the new, one to see them ready and route to them): 20 ms each.
        assertThat(r.metrics().downtimeSeconds()).isBetween(0.300, 0.300 + 4 * 0.020 + 0.020);
        assertThat(r.metrics().failuresByCause().http5xx()).isEqualTo(r.metrics().failedRequests());
        assertThat(ResultJson.toJson(r)).contains("\"platform\" : \"kubernetes\"");
        assertNothingLeft();
    }

    @Test
    void rollingAndHotPatchLeaveTheReplacementToTheController() throws Exception {
        RunResult rolling = run(scenario("{ type: rolling, startAt: 1s, maxSurge: 1, maxUnavailable: 0 }", ""));
        assertThat(rolling.outcome()).isEqualTo("promoted");
        assertThat(rolling.metrics().downtimeSeconds()).isZero();
        assertThat(log.changes("Deployment ")).containsExactly(
            "Deployment shop v1 x2 RollingUpdate",
            "Deployment shop v2 x2 RollingUpdate(1,0)",
            "Deployment shop deleted");

        RunResult patch = run(scenario("{ type: hot-patch, startAt: 1s }", ""));
        assertThat(patch.outcome()).isEqualTo("promoted");
        assertThat(log.changes("Deployment ")).endsWith(
            "Deployment shop v1 x2 RollingUpdate",
            "Deployment shop v2 x2 RollingUpdate(25%,25%) restarted",
            "Deployment shop deleted");
    }

    @Test
    void blueGreenSwitchAndAbortFlipTheSelector() throws Exception {
        RunResult r = run(scenario("{ type: blue-green, startAt: 500ms, previewFor: 500ms, autoPromote: true, "
            + "scaleDownDelay: 10s }", "rollback: { at: 3s }"));

        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(log.changes("Service shop ")).containsExactly(
            "Service shop selects all",
            "Service shop selects v1",
            "Service shop selects v2",
            "Service shop selects v1",
            "Service shop deleted");
        assertThat(log.changes("Service shop-preview ")).startsWith("Service shop-preview selects v2")
            .endsWith("Service shop-preview deleted");
        assertThat(log.changes("Deployment shop-v2 ")).startsWith("Deployment shop-v2 v2 x2 RollingUpdate")
            .endsWith("Deployment shop-v2 deleted");
        assertThat(r.metrics().rollbackSeconds()).isNotNull().isLessThan(1.0);
        assertNothingLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"istio", "gatewayApi"})
    void routerWeightsFollowTheStepsAndGoToZeroOnRollback(String routing) throws Exception {
        RunResult r = run(scenario("{ type: canary, startAt: 500ms, trafficRouting: " + routing
            + ", abortScaleDownDelay: 0s, steps: [ {setWeight: 10}, {pause: 1s}, {setWeight: 50}, {pause: 10s} ] }",
            "rollback: { at: 3s }"));

        assertThat(r.outcome()).isEqualTo("rolled-back");
        boolean istio = routing.equals("istio");
        // With Istio the ingress gateway has a VirtualService of its own, following the same weights.
        for (String object : istio ? List.of("VirtualService shop ", "VirtualService shop-gateway ")
            : List.of("HTTPRoute shop ")) {
            String route = object
                + (istio ? "weights {canary=%d, stable=%d}" : "weights {shop-canary=%d, shop-stable=%d}");
            assertThat(log.changes(object)).containsExactly(route.formatted(0, 100), route.formatted(10, 90),
                route.formatted(50, 50), route.formatted(0, 100), object + "deleted");
        }
        assertNothingLeft();
    }

    @Test
    void canaryByReplicasAndCellsAreDeploymentsOfTheirOwn() throws Exception {
        RunResult canary = run(scenario("{ type: canary, startAt: 500ms, trafficRouting: replicas, "
            + "steps: [ {setWeight: 50}, {pause: 500ms} ] }", ""));
        assertThat(canary.outcome()).isEqualTo("promoted");
        assertThat(log.changes("Deployment shop-v2 ")).startsWith("Deployment shop-v2 v2 x1 RollingUpdate")
            .contains("Deployment shop-v2 v2 x2 RollingUpdate").endsWith("Deployment shop-v2 deleted");
        assertThat(canary.metrics().downtimeSeconds()).isZero();

        RunResult cells = run(scenario("{ type: cell-based, startAt: 500ms, cells: 2, bakeTime: 500ms }", ""));
        assertThat(cells.outcome()).isEqualTo("promoted");
        assertThat(log.changes("Deployment shop-cell-")).startsWith("Deployment shop-cell-1 v1 x1 RollingUpdate",
            "Deployment shop-cell-2 v1 x1 RollingUpdate");
        assertThat(log.changes("Deployment shop-v2-cell-1 ")).startsWith("Deployment shop-v2-cell-1 v2 x1 RollingUpdate");
        assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void faultsAreChaosMeshObjectsForTheirDurationOnly() throws Exception {
        RunResult r = run(scenario("{ type: canary, startAt: 500ms, steps: [ {setWeight: 50}, {pause: 10s} ] }",
            "faults: [ { at: 1s, type: latency, target: stable, delay: 100ms, duration: 1s }, "
                + "{ at: 1500ms, type: kill, target: candidate, count: 1 } ]"));

        assertThat(r.outcome()).isEqualTo("incomplete");
        List<String> chaos = log.changes().stream().filter(c -> c.matches("(Network|Pod)Chaos .*")).toList();
        assertThat(chaos).hasSize(4);
        assertThat(chaos.get(0)).matches("NetworkChaos rl-[0-9a-f]{8}-1-latency created");
        assertThat(chaos.get(1)).matches("PodChaos rl-[0-9a-f]{8}-2-kill created");
        // The latency ends at 2 s; the kill's object is deleted when the run ends.
        assertThat(chaos.get(2)).matches("NetworkChaos rl-[0-9a-f]{8}-1-latency deleted");
        assertThat(chaos.get(3)).matches("PodChaos rl-[0-9a-f]{8}-2-kill deleted");
        // No Chaos Mesh controller runs beside the mock: created, but never confirmed, so never counted as injected.
        assertThat(r.events()).filteredOn(e -> e.type().startsWith("fault-")).extracting(e -> e.type())
            .containsExactly("fault-start", "fault-start", "fault-failed", "fault-end", "fault-failed");
        assertThat(r.events()).filteredOn(e -> e.type().equals("fault-failed"))
            .allMatch(e -> String.valueOf(e.detail().get("reason")).startsWith("Chaos Mesh did not confirm it"));
        assertNothingLeft();
    }

    @Test
    void aStableVersionThatNeverTurnsReadyFailsTheRunNamingWhyAndLeavesNothing() {
        String yaml = scenario("{ type: recreate, startAt: 1s }", "")
            .replace("kubernetes: {", "kubernetes: { image: \"shop:missing\", readyTimeout: 1s,");

        assertThatThrownBy(() -> run(yaml)).isInstanceOf(RunFailure.class)
            .hasMessageContaining("the stable version was not ready within kubernetes.readyTimeout 1s "
                + "(pods: 2 ImagePullBackOff)");
        assertNothingLeft();
    }

    @Test
    void anInterruptWhilePodsAreStartingEndsTheWaitAndLeavesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"), scenario("{ type: recreate, startAt: 1s }", "")
            .replace("kubernetes: {", "kubernetes: { image: \"shop:missing\", readyTimeout: 5m,"));
        Run run = new Run(ScenarioLoader.load(file), client, Duration.ofSeconds(30), p -> { });
        CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(run::execute);
        awaitDeployment("shop");
        run.abort();

        // Interrupted before the load: an aborted result with the events so far and no request, not a lost run.
        RunResult r = result.get(20, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo("aborted");
        assertThat(r.metrics().requests()).isZero();
        assertThat(types(r)).contains("kubernetes").endsWith("aborted").doesNotContain("load-start");
        assertNothingLeft();
    }

    /** Polls the mock until the run has created the Deployment: the moment to interrupt it. */
    private void awaitDeployment(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.apps().deployments().inAnyNamespace().list().getItems().stream()
            .noneMatch(d -> d.getMetadata().getName().equals(name)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void anAbortedRunLeavesNothingBehind() throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"),
            scenario("{ type: blue-green, startAt: 500ms, previewFor: 30s }", "").replace("duration: 4s", "duration: 60s"));
        Run run = new Run(ScenarioLoader.load(file), client, Duration.ofSeconds(30), p -> { });
        CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(run::execute);
        awaitDeployment("shop-v2");
        run.abort();

        assertThat(result.get(30, TimeUnit.SECONDS).outcome()).isEqualTo("aborted");
        assertNothingLeft();
    }
}
