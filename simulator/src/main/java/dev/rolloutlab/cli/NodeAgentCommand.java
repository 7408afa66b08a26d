package dev.rolloutlab.cli;

import dev.rolloutlab.nodeagent.NodeAgent;
import dev.rolloutlab.platform.kubernetes.ContextGuard;
import dev.rolloutlab.platform.kubernetes.objects.DemoArgs.DurationConverter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rollout-lab node-agent}: kubelet and kube-proxy for a control plane without nodes (kind-config/control-plane.sh),
 * until SIGTERM or SIGINT, which end its pods' containers and nothing else.
 */
@Command(name = "node-agent",
    description = "Plays kubelet and kube-proxy for a control plane without nodes: registers Nodes, binds pending "
        + "pods to them, runs demo-image pods in this process on 127.0.x.y, serves NodePort Services from their "
        + "EndpointSlices. Runs until SIGTERM/SIGINT; prints one line per pod event.")
final class NodeAgentCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Nodes to register (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--node-port-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "Address NodePort Services listen on (default: ${DEFAULT-VALUE}).")
    String nodePortAddress;

    @Option(names = "--ready-endpoints-only", description = "With no ready endpoint, refuse connections rather than "
        + "send them to terminating pods that still serve (kube-proxy before 1.28).")
    boolean readyOnly;

    @Option(names = "--min-sync-period", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
        description = "Apply endpoint changes at most this often after a burst of 2, as kube-proxy's "
            + "--iptables-min-sync-period; 0 applies each at once (default: ${DEFAULT-VALUE}).")
    java.time.Duration minSyncPeriod;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        NodeAgent.Settings settings;
        Config config;
        try {
            settings = new NodeAgent.Settings(nodes, nodePortAddress, NodeAgent.KUBELET_BACKOFF, readyOnly,
                minSyncPeriod);
            config = ContextGuard.allowed(cluster.context, cluster.allowContext, ClusterOptions.allowFile);
        } catch (IllegalArgumentException | ContextGuard.Refused e) {
            throw new BadInput("rollout-lab node-agent: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Vertx vertx = Vertx.vertx();
        // The client's transport on the agent's Vert.x: one set of event loops for pods, probes, proxy and API calls.
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
            .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
        NodeAgent agent = new NodeAgent(client, vertx, settings, line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
        try {
            agent.start();
        } catch (KubernetesClientException e) {
            client.close();
            vertx.close().await();
            throw new CouldNotFinish("rollout-lab node-agent: cannot register the Nodes at " + config.getMasterUrl()
                + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            client.close();
            vertx.close().await();
            synchronized (out) {
                out.println("node agent stopped: its containers ended; Nodes and pods left as they are");
                out.flush();
            }
        }, "node-agent-shutdown"));
        forever.await();
        return Main.EXIT_OK;
    }
}
