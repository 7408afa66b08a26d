package dev.rolloutlab.platform.local;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local platform's Service: a real reverse proxy on loopback that spreads requests over the ready endpoints.
 * Closing its listener is a full outage exactly as a client sees one: connections reset, then refused.
 */
final class FrontProxy {
    private final Vertx vertx;
    private final HttpProxy proxy;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile List<SocketAddress> endpoints = List.of();
    private HttpServer server;
    private int port;

    FrontProxy(Vertx vertx, int connectionsPerEndpoint) {
        this.vertx = vertx;
        HttpClient client = vertx.httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
            .with(new PoolOptions().setHttp1MaxSize(connectionsPerEndpoint))
            .build();
        this.proxy = HttpProxy.reverseProxy(client).origin(OriginRequestProvider.selector(ctx -> choose()));
    }

    private Future<SocketAddress> choose() {
        List<SocketAddress> current = endpoints;
        if (current.isEmpty()) {
            return Future.failedFuture("no ready endpoints");
        }
        return Future.succeededFuture(current.get(Math.floorMod(roundRobin.getAndIncrement(), current.size())));
    }

    /** Replaces the endpoint set, as an Endpoints update reaching kube-proxy would. */
    void endpoints(List<SocketAddress> ready) {
        endpoints = List.copyOf(ready);
    }

    /** Listens on 127.0.0.1; port 0 picks a free port the first time, later calls reuse the same one. */
    synchronized Future<Integer> listen(int requestedPort) {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
            .setPort(port == 0 ? requestedPort : port).setTcpNoDelay(true).setReuseAddress(true));
        return s.requestHandler(proxy).listen().map(bound -> {
            synchronized (this) {
                server = bound;
                port = bound.actualPort();
                return port;
            }
        });
    }

    /** Closes the listener and every open connection: requests in flight are reset, new ones refused. */
    synchronized Future<Void> close() {
        HttpServer s = server;
        server = null;
        return s == null ? Future.succeededFuture() : s.close();
    }

    synchronized int port() {
        return port;
    }
}
