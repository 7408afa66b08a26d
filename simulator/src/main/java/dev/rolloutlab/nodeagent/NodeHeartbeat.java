package dev.rolloutlab.nodeagent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * The agent's Nodes as the kubelet keeps them: registered once, then every {@link #PERIOD} their Ready condition
 * (status subresource) and their Lease in {@code kube-node-lease} renewed. The node-lifecycle controller marks a Node
 * whose heartbeats stop NotReady after its grace period (40-50 s), taints it and evicts its pods.
 */
final class NodeHeartbeat {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final int LEASE_SECONDS = 40;

    private final KubernetesClient client;
    private final List<String> nodes;
    private final String address;
    /** When the Ready condition turned true: it stays the same at every heartbeat, as a transition time should. */
    private final String readySince = Times.format(Instant.now());

    NodeHeartbeat(KubernetesClient client, List<String> nodes, String address) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
        this.address = address;
    }

    /** Creates each Node (an existing one is taken over) and sends the first heartbeat. */
    void register() {
        for (int i = 0; i < nodes.size(); i++) {
            String name = nodes.get(i);
            // A zone per Node, so that the zone spread of cell-based runs has zones to spread over.
            Node node = new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                    "topology.kubernetes.io/zone", "rollout-lab-zone-" + (i + 1), "node.rollout-lab.dev/agent", "true"))
                .endMetadata().build();
            try {
                client.nodes().resource(node).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                client.nodes().withName(name).edit(n -> {
                    n.getMetadata().getLabels().putAll(node.getMetadata().getLabels());
                    return n;
                });
            }
        }
        beat();
    }

    /** One heartbeat of every Node: its status and its Lease. */
    void beat() {
        Instant now = Instant.now();
        for (String name : nodes) {
            client.nodes().withName(name).status().patch(PatchContext.of(PatchType.STRATEGIC_MERGE), status(now));
            renewLease(name, now);
        }
    }

    private String status(Instant now) {
        String t = Times.format(now);
        Map<String, Object> status = Map.of(
            "conditions", List.of(
                Map.of("type", "Ready", "status", "True", "reason", "KubeletReady",
                    "message", "rollout-lab node agent is posting ready status", "lastHeartbeatTime", t,
                    "lastTransitionTime", readySince),
                condition("MemoryPressure", "KubeletHasSufficientMemory", t),
                condition("DiskPressure", "KubeletHasNoDiskPressure", t),
                condition("PIDPressure", "KubeletHasSufficientPID", t)),
            "addresses", List.of(Map.of("type", "InternalIP", "address", address)),
            "capacity", capacity(),
            "allocatable", capacity(),
            "nodeInfo", Map.of("kubeletVersion", "rollout-lab-node-agent", "operatingSystem", "linux",
                "architecture", System.getProperty("os.arch"), "containerRuntimeVersion", "rollout-lab://in-process",
                "kernelVersion", System.getProperty("os.version"), "osImage", "rollout-lab node agent",
                "machineID", "", "systemUUID", "", "bootID", "", "kubeProxyVersion", ""));
        return client.getKubernetesSerialization().asJson(Map.of("status", status));
    }

    private Map<String, Object> condition(String type, String reason, String t) {
        return Map.of("type", type, "status", "False", "reason", reason, "lastHeartbeatTime", t,
            "lastTransitionTime", readySince);
    }

    private static Map<String, Quantity> capacity() {
        return Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("1000"));
    }

    private void renewLease(String node, Instant now) {
        var leases = client.leases().inNamespace(LEASE_NAMESPACE);
        Lease lease = new LeaseBuilder().withNewMetadata().withName(node).withNamespace(LEASE_NAMESPACE).endMetadata()
            .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(LEASE_SECONDS)
            .withRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC)).endSpec().build();
        if (leases.withName(node).get() == null) {
            leases.resource(lease).create();
        } else {
            leases.withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"holderIdentity\":\"" + node + "\",\"leaseDurationSeconds\":" + LEASE_SECONDS
                    + ",\"renewTime\":\"" + Times.micro(now) + "\"}}");
        }
    }
}
