package dev.rolloutlab.platform.local;

import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.engine.Clock;
import dev.rolloutlab.engine.EventLog;
import dev.rolloutlab.scenario.Service;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded platform: replicas are real demo servers on 127.0.0.1 behind a real reverse proxy that plays the
 * Service. This first cut runs the stable version with round-robin routing and the {@code outage} fault; replica
 * lifecycle and strategies grow from here.
 */
public final class LocalPlatform {
    private final Vertx vertx;
    private final Service service;
    private final Clock clock;
    private final EventLog events;
    private final FrontProxy front;
    private final List<Replica> replicas = new ArrayList<>();

    private record Replica(String pod, String version, DemoService server) {
    }

    public LocalPlatform(Vertx vertx, Service service, Clock clock, EventLog events, int connections) {
        this.vertx = vertx;
        this.service = service;
        this.clock = clock;
        this.events = events;
        this.front = new FrontProxy(vertx, Math.max(8, connections));
    }

    /** Starts the stable replicas and the proxy; completes with the URL clients send to. */
    public Future<URI> start() {
        String version = service.stable().version();
        List<Future<DemoService>> started = new ArrayList<>();
        for (int i = 1; i <= service.replicas(); i++) {
            String pod = version + "-" + i;
            Replica replica = new Replica(pod, version,
                new DemoService(vertx, 0, version, pod, service.stable().behavior()));
            replicas.add(replica);
            started.add(replica.server().start());
        }
        return Future.all(started)
            .compose(all -> {
                List<SocketAddress> ready = new ArrayList<>();
                for (Replica r : replicas) {
                    ready.add(SocketAddress.inetSocketAddress(r.server().port(), DemoService.DEFAULT_HOST));
                    events.add("replica-ready", "pod", r.pod(), "version", r.version());
                }
                front.endpoints(ready);
                return front.listen(0);
            })
            .map(port -> URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** Every request fails for exactly {@code duration}: the Service's listener is closed, connections refused. */
    public void outage(Duration duration) {
        long end = clock.nanos() + duration.toNanos();
        events.add("fault-start", "type", "outage", "target", "all", "duration", duration.toNanos() / 1e9);
        front.close().onComplete(closed -> clock.at(end, () -> front.listen(0).onComplete(ar -> {
            if (ar.succeeded()) {
                events.add("fault-end", "type", "outage");
            } else {
                events.add("platform-error", "message", "cannot reopen the service port: " + ar.cause().getMessage());
            }
        })));
    }

    public int replicaCount() {
        return replicas.size();
    }

    /** Stops the proxy and every replica. */
    public Future<Void> stop() {
        List<Future<Void>> stopped = new ArrayList<>();
        stopped.add(front.close());
        replicas.forEach(r -> stopped.add(r.server().stop()));
        return Future.join(stopped).mapEmpty();
    }
}
