package dev.rolloutlab.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.platform.local.CrashLoopBackoff;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node agent on the real control plane of {@code kind-config/control-plane.sh}: the real Deployment, ReplicaSet,
 * EndpointSlice and node-lifecycle controllers act on the pods it runs. Needs the plane's binaries ({@code build});
 * starts the plane when it is down and stops it afterwards (a plane already up is left up). Runs only with
 * {@code -Pcontrolplane}; one agent per plane, so no other node agent may run against it meanwhile. The agent's proxy
 * applies each endpoint change at once (no kube-proxy minimum sync period), so the checks wait for the API only.
 */
@Tag("controlplane")
@Timeout(300)
class NodeAgentControlPlaneTest {
    private static ControlPlane.Session plane;
    private static Vertx vertx;
    private static KubernetesClient client;
    private static NodeAgent agent;
    private static String namespace;
    private static final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPlaneAndAgent() throws IOException {
        plane = ControlPlane.ensureUp();
        vertx = Vertx.vertx();
        client = new KubernetesClientBuilder().withConfig(plane.clientConfig())
            .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
        agent = new NodeAgent(client, vertx, new NodeAgent.Settings(2, "127.0.0.1",
            new CrashLoopBackoff(Duration.ofMillis(500), Duration.ofSeconds(2)), false, Duration.ZERO), line -> {
                lines.add(line);
                System.out.println(line);
            });
        agent.start();
        namespace = "node-agent-test-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
            .build()).create();
    }

    @AfterAll
    static void stopAgentAndPlane() throws IOException {
        if (client != null && agent != null) {
            // The agent runs the pods' deletion (preStop, grace 0), so the namespace can be finalized before it stops.
            client.namespaces().withName(namespace).delete();
            try {
                awaitTrue("the test's pods are gone", Duration.ofSeconds(30),
                    () -> client.pods().inNamespace(namespace).list().getItems().isEmpty());
            } catch (AssertionError e) {
                System.out.println("cleanup: " + e.getMessage());
            }
        }
        if (agent != null) {
            agent.close();
        }
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (plane != null) {
            plane.end();
        }
    }

    @Test
    void aDemoDeploymentGetsReadyPodsThatTheEndpointSliceListsAndTheNodePortServes() throws IOException {
        deploy("web", "v1", 3, 30911, List.of());

        awaitTrue("3 ready pods", Duration.ofSeconds(60), () -> readyPods("web").size() == 3);
        List<Pod> pods = readyPods("web");
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getPodIP()).startsWith("10.244.");
            assertThat(p.getStatus().getContainerStatuses().get(0).getStarted()).isTrue();
            assertThat(p.getSpec().getNodeName()).startsWith("rollout-lab-node-");
        });
        assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).distinct()).hasSize(2);
        Set<String> podIps = pods.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
        awaitTrue("the EndpointSlice lists the 3 pods as ready", Duration.ofSeconds(30),
            () -> readyEndpoints("web").equals(podIps));

        Set<String> served = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            Http.Response r = Http.once("127.0.0.1", 30911, "/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Version")).isEqualTo("v1");
            served.add(r.header("X-Pod"));
        }
        assertThat(served).as("new connections go round the ready endpoints")
            .isEqualTo(pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()));
    }

    @Test
    void theDeploymentControllersRollingUpdateReplacesEveryPod() throws IOException {
        deploy("roll", "v1", 2, 30912, List.of());
        awaitTrue("2 ready v1 pods", Duration.ofSeconds(60), () -> readyPods("roll").size() == 2);
        Set<String> before = names(readyPods("roll"));

        client.apps().deployments().inNamespace(namespace).withName("roll").edit(d -> {
            d.getSpec().getTemplate().getMetadata().getLabels().put("version", "v2");
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(List.of("--version", "v2", "--pod",
                "$(POD)"));
            return d;
        });

        awaitTrue("only v2 pods, both ready", Duration.ofSeconds(60), () -> {
            List<Pod> all = client.pods().inNamespace(namespace).withLabel("app", "roll").list().getItems();
            return all.size() == 2 && all.stream().allMatch(p -> "v2".equals(p.getMetadata().getLabels().get("version"))
                && ready(p));
        });
        assertThat(names(readyPods("roll"))).doesNotContainAnyElementsOf(before);
        awaitTrue("the NodePort serves v2", Duration.ofSeconds(20),
            () -> "v2".equals(Http.onceQuietly("127.0.0.1", 30912).header("X-Version")));
    }

    @Test
    void deletingAPodRunsItsPreStopSleepWhileItServesThenRemovesIt() throws IOException {
        deploy("stop", "v1", 1, 30913, List.of());
        awaitTrue("a ready pod", Duration.ofSeconds(60), () -> readyPods("stop").size() == 1);
        Pod pod = readyPods("stop").get(0);
        String name = pod.getMetadata().getName();
        String listening = PodAddresses.loopback(pod.getStatus().getPodIP());

        long deleted = System.nanoTime();
        client.pods().inNamespace(namespace).withName(name).delete();
        awaitTrue("the pod is terminating", Duration.ofSeconds(5),
            () -> lines.stream().anyMatch(l -> l.contains(name + " terminating: preStop 2 s, grace 12 s")));
        assertThat(Http.once(listening, 8080, "/").status()).as("the container serves during preStop").isEqualTo(200);
        assertThat(client.pods().inNamespace(namespace).withName(name).get().getMetadata().getDeletionTimestamp())
            .isNotNull();

        awaitTrue("the pod is removed", Duration.ofSeconds(15),
            () -> client.pods().inNamespace(namespace).withName(name).get() == null);
        Duration took = Duration.ofNanos(System.nanoTime() - deleted);
        assertThat(took).as("preStop (2 s) came first; the grace period (12 s) was not waited out")
            .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    @Test
    void withNoReadyEndpointTheNodePortSendsToTerminatingPodsThatStillServe() throws IOException {
        deploy("drain", "v1", 1, 30917, List.of());
        awaitTrue("a ready endpoint", Duration.ofSeconds(60), () -> readyEndpoints("drain").size() == 1);
        String name = readyPods("drain").get(0).getMetadata().getName();

        client.apps().deployments().inNamespace(namespace).withName("drain").scale(0);
        awaitTrue("the only endpoint is terminating", Duration.ofSeconds(10), () -> readyEndpoints("drain").isEmpty()
            && client.pods().inNamespace(namespace).withName(name).get() != null);

        Http.Response during = Http.once("127.0.0.1", 30917, "/");
        assertThat(during.status()).as("kube-proxy 1.28+: serving terminating endpoints when none is ready")
            .isEqualTo(200);
        assertThat(during.header("X-Pod")).isEqualTo(name);
    }

    @Test
    void aKeepAliveConnectionStaysOnOnePodWhileNewConnectionsSpread() throws IOException {
        deploy("pin", "v1", 3, 30914, List.of());
        awaitTrue("3 ready pods", Duration.ofSeconds(60), () -> readyPods("pin").size() == 3);
        awaitTrue("the EndpointSlice lists the 3 pods as ready", Duration.ofSeconds(30),
            () -> readyEndpoints("pin").size() == 3);

        Set<String> onOneConnection = new HashSet<>();
        try (Http connection = new Http("127.0.0.1", 30914)) {
            for (int i = 0; i < 50; i++) {
                onOneConnection.add(connection.get("/").header("X-Pod"));
            }
        }
        Set<String> onNewConnections = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            onNewConnections.add(Http.once("127.0.0.1", 30914, "/").header("X-Pod"));
        }

        assertThat(onOneConnection).as("kube-proxy balances per connection, not per request").hasSize(1);
        assertThat(onNewConnections).hasSize(3);
    }

    @Test
    void aCrashingContainerRestartsAfterACrashLoopBackOff() {
        deploy("crash", "v1", 1, 30915, List.of("--crash-after", "1s"));

        awaitTrue("a restart after CrashLoopBackOff", Duration.ofSeconds(30), () -> {
            List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app", "crash").list().getItems();
            return pods.size() == 1 && pods.get(0).getStatus().getContainerStatuses().size() == 1
                && pods.get(0).getStatus().getContainerStatuses().get(0).getRestartCount() >= 1;
        });
        var status = client.pods().inNamespace(namespace).withLabel("app", "crash").list().getItems().get(0)
            .getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.contains("crash-") && l.contains("CrashLoopBackOff"));
    }

    @Test
    void anyOtherImageRunsItsCommandAsALocalProcessOnThePodsAddress() throws IOException {
        Deployment d = demoDeployment("proc", "v1", 2, List.of());
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setImage("python:3-slim");
        container.setCommand(List.of("sh", "-c", "exec python3 -m http.server \"$PORT\" --bind \"$HOST\""));
        container.setArgs(List.of());
        container.getReadinessProbe().getHttpGet().setPath("/");
        client.apps().deployments().resource(d).create();
        client.services().resource(nodePort("proc", 30916)).create();

        awaitTrue("2 ready pods", Duration.ofSeconds(60), () -> readyPods("proc").size() == 2);
        awaitTrue("the NodePort serves them", Duration.ofSeconds(30),
            () -> Http.onceQuietly("127.0.0.1", 30916).status() == 200);

        String name = readyPods("proc").get(0).getMetadata().getName();
        client.pods().inNamespace(namespace).withName(name).delete();
        awaitTrue("the process pod is removed after its preStop", Duration.ofSeconds(15),
            () -> client.pods().inNamespace(namespace).withName(name).get() == null);
        assertThat(lines).anyMatch(l -> l.contains(name + " terminated"));
    }

    /** A Deployment of the demo image as rollout-lab's manifests make it, and a NodePort Service for it. */
    private static void deploy(String app, String version, int replicas, int nodePort, List<String> moreArgs) {
        client.apps().deployments().resource(demoDeployment(app, version, replicas, moreArgs)).create();
        client.services().resource(nodePort(app, nodePort)).create();
    }

    private static Deployment demoDeployment(String app, String version, int replicas, List<String> moreArgs) {
        List<String> args = new ArrayList<>(List.of("--version", version, "--pod", "$(POD)"));
        args.addAll(moreArgs);
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(app).withNamespace(namespace).endMetadata()
            .withNewSpec().withReplicas(replicas)
            .withNewSelector().withMatchLabels(Map.of("app", app)).endSelector()
            .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
            .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
            .withNewTemplate().withNewMetadata().withLabels(Map.of("app", app, "version", version)).endMetadata()
            .withNewSpec().withTerminationGracePeriodSeconds(12L)
            .addNewContainer().withName("app").withImage("rollout-lab/demo:0.1.0").withArgs(args)
            .addNewEnv().withName("VERSION").withValue(version).endEnv()
            .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
            .endFieldRef().endValueFrom().endEnv()
            .addNewPort().withName("http").withContainerPort(8080).endPort()
            .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString(8080)).endHttpGet()
            .withPeriodSeconds(1).withTimeoutSeconds(1).withFailureThreshold(1).endReadinessProbe()
            .withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(2L).endSleep().endPreStop().endLifecycle()
            .endContainer().endSpec().endTemplate().endSpec().build();
        return d;
    }

    private static io.fabric8.kubernetes.api.model.Service nodePort(String app, int nodePort) {
        return new ServiceBuilder().withNewMetadata().withName(app).withNamespace(namespace)
            .endMetadata().withNewSpec().withType("NodePort").withSelector(Map.of("app", app))
            .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).withNodePort(nodePort)
            .endPort().endSpec().build();
    }

    private static List<Pod> readyPods(String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
            .filter(NodeAgentControlPlaneTest::ready).toList();
    }

    private static boolean ready(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
            && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
            && "True".equals(c.getStatus()));
    }

    private static Set<String> readyEndpoints(String service) {
        Set<String> ips = new HashSet<>();
        for (EndpointSlice s : client.discovery().v1().endpointSlices().inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", service).list().getItems()) {
            // The API server sends a slice with no endpoints as null, not [].
            Objects.requireNonNullElse(s.getEndpoints(), List.<Endpoint>of()).stream()
                .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).forEach(e -> ips.addAll(e.getAddresses()));
        }
        return ips;
    }

    private static Set<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static void awaitTrue(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
