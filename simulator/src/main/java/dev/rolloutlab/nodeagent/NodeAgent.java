package dev.rolloutlab.nodeagent;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.VertxClock;
import dev.rolloutlab.platform.local.CrashLoopBackoff;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Plays kubelet and kube-proxy for {@code nodes} Nodes against a real API server, without containers: registers the
 * Nodes and keeps them alive, binds pending pods to them (there is no scheduler), runs their pods in this JVM on
 * loopback addresses of their own, and serves NodePort Services from their EndpointSlices. Closing it ends its pods'
 * containers and leaves the API server's objects as they are, as a node that loses power does.
 */
public final class NodeAgent implements AutoCloseable {
    /** kube-proxy's default {@code --iptables-min-sync-period}. */
    public static final Duration KUBE_PROXY_MIN_SYNC_PERIOD = Duration.ofSeconds(1);

    /** The kubelet's own crash-loop back-off: 10 s, doubling to 5 min. */
    public static final CrashLoopBackoff KUBELET_BACKOFF = new CrashLoopBackoff(Duration.ofSeconds(10),
        Duration.ofMinutes(5));

    /**
     * @param nodes           how many Nodes, named {@code rollout-lab-node-1} on
     * @param nodePortAddress where NodePort Services listen (kind maps them to the host's 127.0.0.1)
     * @param backoff         the wait before a crashed container restarts
     * @param readyOnly       the proxy never falls back to serving terminating endpoints when none is ready, as
     *                        kube-proxy before 1.28 did
     * @param minSyncPeriod   how often at most (after a burst of 2) the proxy applies endpoint changes, as
     *                        kube-proxy's {@code --iptables-min-sync-period} (1 s); zero applies each at once
     */
    public record Settings(int nodes, String nodePortAddress, CrashLoopBackoff backoff, boolean readyOnly,
                           Duration minSyncPeriod) {
        public Settings {
            if (nodes < 1) {
                throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
            }
            if (minSyncPeriod.isNegative()) {
                throw new IllegalArgumentException("--min-sync-period must not be negative, got " + minSyncPeriod);
            }
        }

        public static Settings defaults() {
            return new Settings(1, "127.0.0.1", KUBELET_BACKOFF, false, KUBE_PROXY_MIN_SYNC_PERIOD);
        }
    }

    private final KubernetesClient client;
    private final Vertx vertx;
    private final Consumer<String> out;
    private final NodeHeartbeat heartbeat;
    private final Kubelet kubelet;
    private final NodePortProxy proxy;
    private final ExecutorService beats = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "node-agent-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final List<String> nodes = new ArrayList<>();
    private long beatTimer = -1;

    /**
     * @param vertx the Vert.x the client's transport uses too, so pods, probes, proxy and API calls share its loops
     * @param out   one line per event
     */
    public NodeAgent(KubernetesClient client, Vertx vertx, Settings settings, Consumer<String> out) {
        this.client = client;
        this.vertx = vertx;
        this.out = out;
        for (int i = 1; i <= settings.nodes(); i++) {
            nodes.add("rollout-lab-node-" + i);
        }
        Clock clock = new VertxClock(vertx, System.nanoTime());
        this.heartbeat = new NodeHeartbeat(client, nodes, "127.0.0.1");
        this.kubelet = new Kubelet(client, vertx, clock, nodes, "127.0.0.1", settings.backoff(),
            (pod, what) -> line(pod + " " + what));
        this.proxy = new NodePortProxy(client, vertx, settings.nodePortAddress(), settings.readyOnly(),
            settings.minSyncPeriod(), s -> line("proxy " + s));
    }

    /** Registers the Nodes, then starts the heartbeats, the kubelet and the proxy. Blocking: call it off the loops. */
    public void start() {
        heartbeat.register();
        line("registered " + nodes);
        // Heartbeats are blocking API calls: a thread of their own, so a slow API server delays no pod.
        beatTimer = vertx.setPeriodic(NodeHeartbeat.PERIOD.toMillis(), id -> beats.execute(() -> {
            try {
                heartbeat.beat();
                kubelet.resync();
            } catch (RuntimeException e) {
                line("error: heartbeat: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }));
        proxy.start();
        kubelet.start();
    }

    private void line(String text) {
        out.accept(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + text);
    }

    /** Kills every container and closes the node ports; Nodes, pods and their statuses stay as they are. */
    @Override
    public void close() {
        if (beatTimer != -1) {
            vertx.cancelTimer(beatTimer);
        }
        beats.shutdownNow();
        Future.all(kubelet.stop(), proxy.stop()).await();
    }
}
