package dev.rolloutlab.nodeagent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * kube-proxy's part for NodePort Services: one TCP listener per node port on the agent's node-port address, each
 * connection pinned to one ready endpoint picked when it opens (in turn), as kube-proxy's iptables rules DNAT a
 * connection once and conntrack keeps it there. The endpoints are the Service's EndpointSlices as the API server
 * serves them, so the EndpointSlice controller's readiness and its lag decide where traffic goes. With no endpoint to
 * go to a new connection is closed at once, as kube-proxy rejects it. A pod's cluster address is turned into
 * the loopback address it listens on ({@link PodAddresses}).
 */
final class NodePortProxy {
    /** One listener's view: where its connections may go, swapped whole on every change. */
    private record Port(String service, String portName, int nodePort, SocketAddress[] endpoints) {
    }

    /** kube-proxy's burst of syncs (iptables and nftables modes). */
    private static final int BURST = 2;

    private final KubernetesClient client;
    private final Vertx vertx;
    private final String address;
    private final boolean readyOnly;
    private final Consumer<String> out;
    private final NetClient upstream;
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private final Map<Integer, NetServer> listeners = new HashMap<>();
    private final Map<Integer, Port> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong picks = new AtomicLong();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private boolean stopped;
    private final long minSyncNanos;
    /** Syncs that may run at once; refilled one per minimum sync period. */
    private double tokens = BURST;
    private long lastRefill = System.nanoTime();
    private boolean syncPending;

    /**
     * @param readyOnly     never fall back to serving terminating endpoints (kube-proxy before 1.28)
     * @param minSyncPeriod kube-proxy's minimum sync period; zero applies every change at once
     */
    NodePortProxy(KubernetesClient client, Vertx vertx, String address, boolean readyOnly, Duration minSyncPeriod,
                  Consumer<String> out) {
        this.client = client;
        this.readyOnly = readyOnly;
        this.minSyncNanos = minSyncPeriod.toNanos();
        this.vertx = vertx;
        this.address = address;
        this.out = out;
        this.upstream = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(1000));
    }

    void start() {
        informers.add(client.services().inAnyNamespace().inform(handler(services, NodePortProxy::key), 0));
        informers.add(client.discovery().v1().endpointSlices().inAnyNamespace()
            .inform(handler(slices, NodePortProxy::key), 0));
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> handler(Map<String, T> into,
            java.util.function.Function<T, String> key) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(() -> into.put(key.apply(obj), obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed(() -> into.put(key.apply(newObj), newObj));
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                changed(() -> into.remove(key.apply(obj)));
            }
        };
    }

    private synchronized void changed(Runnable change) {
        if (stopped) {
            return;
        }
        change.run();
        requestSync();
    }

    /**
     * Applies the watched state now if a sync token is left, else once one is: kube-proxy's bounded-frequency
     * runner (iptables mode: {@code --iptables-min-sync-period}, 1 s by default, with a burst of {@value #BURST}).
     * A lone change applies at once; during a rollout's flurry of changes each may wait up to the period, which is
     * the endpoint propagation lag that preStop has to cover.
     */
    private void requestSync() {
        if (minSyncNanos == 0) {
            sync();
            return;
        }
        if (syncPending) {
            return;
        }
        refill(System.nanoTime());
        if (tokens >= 1) {
            tokens -= 1;
            sync();
            return;
        }
        syncPending = true;
        long waitMillis = Math.max(1, (long) Math.ceil((1 - tokens) * minSyncNanos / 1e6));
        vertx.setTimer(waitMillis, id -> {
            synchronized (this) {
                syncPending = false;
                if (!stopped) {
                    refill(System.nanoTime());
                    tokens = Math.max(0, tokens - 1);
                    sync();
                }
            }
        });
    }

    private void refill(long now) {
        tokens = Math.min(BURST, tokens + (double) (now - lastRefill) / minSyncNanos);
        lastRefill = now;
    }

    private void sync() {
        Map<Integer, Port> wanted = new HashMap<>();
        for (Service s : services.values()) {
            if (!"NodePort".equals(s.getSpec().getType()) && !"LoadBalancer".equals(s.getSpec().getType())) {
                continue;
            }
            for (ServicePort p : Objects.requireNonNullElse(s.getSpec().getPorts(), List.<ServicePort>of())) {
                if (p.getNodePort() != null && "TCP".equals(Objects.requireNonNullElse(p.getProtocol(), "TCP"))) {
                    wanted.put(p.getNodePort(), new Port(key(s), p.getName(), p.getNodePort(), endpoints(s, p)));
                }
            }
        }
        for (Map.Entry<Integer, Port> e : wanted.entrySet()) {
            Port before = ports.put(e.getKey(), e.getValue());
            if (before == null) {
                listen(e.getValue());
            } else if (before.endpoints().length != e.getValue().endpoints().length) {
                out.accept(e.getValue().service() + " :" + e.getKey() + " has " + e.getValue().endpoints().length
                    + " ready endpoint(s)");
            }
        }
        for (Integer gone : new ArrayList<>(ports.keySet())) {
            if (!wanted.containsKey(gone)) {
                Port p = ports.remove(gone);
                NetServer server = listeners.remove(gone);
                if (server != null) {
                    server.close();
                }
                out.accept(p.service() + " :" + gone + " closed (the Service is gone or no longer a NodePort)");
            }
        }
    }

    /**
     * Where connections to Service port {@code p} may go: the ready endpoints of the slices labelled with the
     * Service's name (their port of the same name); when none is ready, the terminating endpoints that still serve,
     * as kube-proxy does since Kubernetes 1.28 (KEP-1669, for Cluster and Local traffic policies alike), unless
     * {@code readyOnly}. An unset condition counts as true, as the EndpointSlice API says.
     */
    private SocketAddress[] endpoints(Service s, ServicePort p) {
        List<SocketAddress> ready = new ArrayList<>();
        List<SocketAddress> servingTerminating = new ArrayList<>();
        String ns = s.getMetadata().getNamespace();
        for (EndpointSlice slice : slices.values()) {
            if (!ns.equals(slice.getMetadata().getNamespace()) || !s.getMetadata().getName().equals(
                slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get("kubernetes.io/service-name"))
                || !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            Integer port = null;
            // A slice with no endpoints (or ports) has these lists null, not empty.
            for (EndpointPort ep : Objects.requireNonNullElse(slice.getPorts(), List.<EndpointPort>of())) {
                if (Objects.equals(ep.getName() == null ? "" : ep.getName(), p.getName() == null ? "" : p.getName())) {
                    port = ep.getPort();
                }
            }
            if (port == null) {
                continue;
            }
            for (Endpoint e : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
                if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
                    continue;
                }
                SocketAddress to = SocketAddress.inetSocketAddress(port, PodAddresses.loopback(e.getAddresses().get(0)));
                var c = e.getConditions();
                if (c == null || !Boolean.FALSE.equals(c.getReady())) {
                    ready.add(to);
                } else if (!Boolean.FALSE.equals(c.getServing()) && Boolean.TRUE.equals(c.getTerminating())) {
                    servingTerminating.add(to);
                }
            }
        }
        return (ready.isEmpty() && !readyOnly ? servingTerminating : ready).toArray(SocketAddress[]::new);
    }

    private void listen(Port port) {
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(address).setPort(port.nodePort())
            .setTcpNoDelay(true).setReuseAddress(true));
        server.connectHandler(socket -> connect(port.nodePort(), socket));
        listeners.put(port.nodePort(), server);
        server.listen().onComplete(bound -> {
            if (bound.succeeded()) {
                out.accept(port.service() + " :" + port.nodePort() + " listening on " + address + ":" + port.nodePort()
                    + " (" + port.endpoints().length + " ready endpoint(s))");
            } else {
                out.accept("error: " + port.service() + ": cannot listen on " + address + ":" + port.nodePort() + ": "
                    + bound.cause().getMessage());
            }
        });
    }

    /** Picks one ready endpoint for the whole connection and pipes bytes both ways until either side closes. */
    private void connect(int nodePort, NetSocket client) {
        Port port = ports.get(nodePort);
        SocketAddress[] ready = port == null ? new SocketAddress[0] : port.endpoints();
        if (ready.length == 0) {
            client.close();
            return;
        }
        client.pause();
        SocketAddress chosen = ready[(int) Math.floorMod(picks.getAndIncrement(), (long) ready.length)];
        upstream.connect(chosen).onComplete(connected -> {
            if (connected.failed()) {
                client.close();
                return;
            }
            NetSocket pod = connected.result();
            client.pipeTo(pod);
            pod.pipeTo(client);
        });
    }

    Future<Void> stop() {
        List<Future<Void>> closed = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            listeners.values().forEach(s -> closed.add(s.close()));
            listeners.clear();
        }
        informers.forEach(SharedIndexInformer::stop);
        closed.add(upstream.close());
        return Future.all(closed).mapEmpty();
    }

    private static String key(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
