package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.nodeagent.ControlPlane;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TimelinePoint;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scenarios of {@code scenarios/kubernetes/} run as a user runs them, {@code rollout-lab run} in a process of its
 * own, against the real control plane of {@code kind-config/control-plane.sh} with {@code rollout-lab node-agent} (2
 * Nodes, kube-proxy's 1 s minimum sync period) as the kubelet and kube-proxy: real traffic from the generator through
 * EndpointSlices to pods the real Deployment and ReplicaSet controllers create and delete. Shortened (100 req/s, 3 s
 * of warm-up), with clients that reconnect every {@value #CONNECTION_AGE_S} s, so that the per-connection balancing
 * of kube-proxy reaches every client within a run. The API server, etcd, the controllers, the agent's pods and the
 * generator share 2 cores here, so up to 1 % of the requests may go unmeasured (generator-limited, kept out of every
 * metric) before a run is invalid, rather than 0.1 %. Tag {@code controlplane}; starts the plane when it is down and stops it
 * afterwards.
 */
@Tag("controlplane")
@Timeout(900)
class ControlPlaneRunsTest {
    static final int CONNECTION_AGE_S = 3;
    /** The agent's proxy applies an endpoint change at most this long after the previous one. */
    static final int MIN_SYNC_PERIOD_S = 1;
    /** The EndpointSlice controller's update and its watch reaching the agent, on a busy 2-core machine. */
    static final double PROPAGATION_S = 1;
    static final Path SCENARIOS = Path.of("..", "scenarios", "kubernetes").toAbsolutePath().normalize();

    private static ControlPlane.Session plane;
    private static Map<String, String> env;
    private static Process agent;
    private static Path agentLog;

    @TempDir
    Path dir;

    @BeforeAll
    static void planeAndAgent() throws Exception {
        plane = ControlPlane.ensureUp();
        env = Map.of("KUBECONFIG", plane.kubeconfig().toString());
        agentLog = Files.createTempFile("node-agent", ".log");
        agent = ToolProcess.start(agentLog, null, env, "node-agent", "--nodes", "2", "--min-sync-period",
            MIN_SYNC_PERIOD_S + "s");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ToolProcess.read(agentLog).contains("registered")) {
            assertThat(agent.isAlive()).as("the node agent exited: %s", ToolProcess.read(agentLog)).isTrue();
            assertThat(System.nanoTime()).as("the node agent did not register its Nodes: %s",
                ToolProcess.read(agentLog)).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopAgentAndPlane() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            System.out.println(ToolProcess.read(agentLog));
            Files.deleteIfExists(agentLog);
        }
        if (plane != null) {
            plane.end();
        }
    }

    /**
     * The Deployment controller replaces the 6 pods with surge and no unavailability, preStop covering the endpoint
     * propagation: no outage, and the clients end on v2 alone. A request fails only when the pod its client's
     * connection is pinned to closes that connection as the request goes out, so there are at most as many
     * failures as connections were opened (each is closed once).
     */
    @Test
    void rollingUpdateByTheDeploymentController() throws Exception {
        Ran r = run("rolling.yaml", "load.duration=25s");

        assertThat(r.result.outcome()).as(r.output).isEqualTo("promoted");
        assertThat(r.result.platform()).isEqualTo("kubernetes");
        assertThat(r.result.metrics().downtimeSeconds()).isZero();
        assertThat(r.result.metrics().failedRequests()).isLessThanOrEqualTo(r.result.generator().connectionsOpened());
        assertThat(r.events(e -> e.type().equals("replica-ready") && "v2".equals(e.detail().get("version"))))
            .hasSize(6);
        double complete = r.first("rollout-complete").t();
        assertThat(r.seconds(complete + CONNECTION_AGE_S + 1, 25)).isNotEmpty()
            .allSatisfy(p -> assertThat(p.byVersion()).containsOnlyKeys("v2"));
    }

    /**
     * kube-proxy pins each connection to a pod, so a selector switch reaches a client when it reconnects: every
     * client is on green within a connection's age after the switch has propagated, while blue stays up
     * (scaleDownDelay 60 s): a generator on a few long-lived connections would not have seen the switch. The rollback
     * scales green down at once, so its clients move when they reconnect or green's pods close their connections
     * after preStop (3 s), whichever comes first: back on blue within the same bound.
     */
    @Test
    void blueGreenSwitchAndRollbackReachEveryClientWithinAConnectionsAge() throws Exception {
        Ran r = run("blue-green.yaml", "load.duration=35s", "strategy.previewFor=3s", "rollback.at=25s");

        assertThat(r.result.outcome()).as(r.output).isEqualTo("rolled-back");
        double reach = CONNECTION_AGE_S + MIN_SYNC_PERIOD_S + PROPAGATION_S;
        double switched = r.first("switch").t();
        double rollback = r.first("rollback").t();
        assertThat(r.seconds(switched + reach, rollback - 1)).isNotEmpty()
            .allSatisfy(p -> assertThat(p.byVersion()).containsOnlyKeys("v2"));
        assertThat(r.result.metrics().rollbackSeconds()).isPositive().isLessThanOrEqualTo(reach);
        assertThat(r.seconds(rollback + reach, 35)).isNotEmpty()
            .allSatisfy(p -> assertThat(p.byVersion()).containsOnlyKeys("v1"));
        assertThat(r.result.metrics().downtimeSeconds()).isZero();
    }

    /**
     * A canary by replicas gets the share of connections its pods get: 1 of 5 pods, then 3 of 5. The node agent
     * hands out new connections to pods in turn, so after a connection's age the candidate's share is its pods'
     * share; the margin is for the 64 clients' connections being whole. Without Chaos Mesh's controller the faults
     * are sent, accepted by the API server, and reported as not injected, never as having happened.
     */
    @Test
    void aCanaryByReplicasGetsItsPodsShareAndUnconfirmedFaultsAreReported() throws Exception {
        Ran r = run("canary-with-pod-kill.yaml", "load.duration=45s");

        assertThat(r.result.metrics().downtimeSeconds()).as(r.output).isZero();
        List<Event> weights = r.events(e -> e.type().equals("set-weight"));
        assertThat(weights).hasSizeGreaterThanOrEqualTo(2);
        double reach = CONNECTION_AGE_S + MIN_SYNC_PERIOD_S + PROPAGATION_S;
        assertThat(candidateShare(r.seconds(weights.get(0).t() + reach, weights.get(1).t() - 1))).isBetween(0.1, 0.3);
        assertThat(candidateShare(r.seconds(weights.get(1).t() + reach, 45))).isBetween(0.45, 0.75);
        assertThat(r.events(e -> e.type().equals("fault-failed"))).hasSize(2).allSatisfy(e -> assertThat(
            (String) e.detail().get("reason")).contains("Chaos Mesh did not confirm it"));
        assertThat(r.events(e -> e.type().equals("fault-injected"))).isEmpty();
    }

    /**
     * The mesh's and the gateway's routing objects pass the real API server's strict validation against the
     * upstream CRDs (the run gets past creating them), but nothing serves their ingress here (no Istio, no Gateway
     * implementation): the run says so and fails instead of measuring refused connections as downtime, and leaves
     * no namespace behind.
     */
    @ParameterizedTest
    @CsvSource({"canary-istio.yaml, 30081, Istio's ingress gateway", "canary-gateway-api.yaml, 30082, the Gateway's"})
    void meshAndGatewayRunsNeedTheirIngress(String scenario, int port, String ingress) throws Exception {
        Ran r = run(scenario, "load.duration=20s", "kubernetes.entryPointTimeout=5s");

        assertThat(r.exit).as(r.output).isEqualTo(Main.EXIT_RUN_FAILED);
        assertThat(r.output).contains("nothing answered HTTP at http://127.0.0.1:" + port + "/ within "
            + "kubernetes.entryPointTimeout 5s (connection refused): the entry point is " + ingress);
        assertThat(r.output).doesNotContain("Exception", "\tat ");
    }

    private record Ran(int exit, String output, RunResult result) {
        List<Event> events(Predicate<Event> which) {
            return result.events().stream().filter(which).toList();
        }

        Event first(String type) {
            return result.events().stream().filter(e -> e.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event:\n" + output));
        }

        /** The whole seconds of the timeline within [from, to). */
        List<TimelinePoint> seconds(double from, double to) {
            return result.timeline().stream().filter(p -> p.t() >= Math.ceil(from) && p.t() + 1 <= to).toList();
        }
    }

    private static double candidateShare(List<TimelinePoint> seconds) {
        assertThat(seconds).isNotEmpty();
        long v2 = seconds.stream().mapToLong(p -> p.byVersion().getOrDefault("v2", 0L)).sum();
        long all = seconds.stream().mapToLong(p -> p.byVersion().values().stream().mapToLong(Long::longValue).sum())
            .sum();
        return (double) v2 / all;
    }

    private Ran run(String scenario, String... sets) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("run", SCENARIOS.resolve(scenario).toString()));
        for (String set : List.of("load.rate=100/s", "load.warmup=3s", "strategy.startAt=5s",
            "load.maxGeneratorLimited=1%", "load.connectionReuse.maxAge=" + CONNECTION_AGE_S + "s")) {
            args.addAll(List.of("--set", set));
        }
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        Path out = dir.resolve("out");
        args.addAll(List.of("--out", out.toString()));
        Path log = dir.resolve("run.log");
        Process tool = ToolProcess.start(log, null, env, args.toArray(String[]::new));
        if (!tool.waitFor(5, TimeUnit.MINUTES)) {
            tool.destroyForcibly();
            throw new AssertionError("the run did not end within 5 minutes:\n" + ToolProcess.read(log));
        }
        String output = ToolProcess.read(log);
        System.out.println(output);
        Matcher namespace = Pattern.compile("in namespace (rl-[0-9a-f]{8})").matcher(output);
        assertThat(namespace.find()).as(output).isTrue();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(plane.clientConfig()).build()) {
            Namespace left = client.namespaces().withName(namespace.group(1)).get();
            assertThat(left == null || left.getMetadata().getDeletionTimestamp() != null)
                .as("the run's namespace %s is deleted", namespace.group(1)).isTrue();
        }
        Path json = out.resolve("result.json");
        return new Ran(tool.exitValue(), output, Files.exists(json) ? ResultJson.read(json) : null);
    }
}
