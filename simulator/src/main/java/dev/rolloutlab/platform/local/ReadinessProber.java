package dev.rolloutlab.platform.local;

import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import dev.rolloutlab.scenario.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The kubelet's readiness prober for the local replicas: one probe is an HTTP GET of the readiness path, passed by a
 * 2xx or 3xx within the probe's timeout. When and how often a replica is probed is the replica's own business
 * ({@link LocalReplica}).
 */
public final class ReadinessProber {
    private final Vertx vertx;
    private final Readiness readiness;
    private final LoopLag lag;
    private final Predicate<String> paused;
    private final HttpClient probes;

    /**
     * @param lag    the platform's own loops, whose lateness makes a timed-out probe inconclusive
     * @param paused whether a pod is paused: its probes go unanswered
     */
    ReadinessProber(Vertx vertx, Readiness readiness, LoopLag lag, Predicate<String> paused) {
        this.vertx = vertx;
        this.readiness = readiness;
        this.lag = lag;
        this.paused = paused;
        // A probe is a new connection every time, as the kubelet's are.
        this.probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    /**
     * A prober that blames every timeout on the replica: for a kubelet of its own (the node agent), whose pods do not
     * share event loops with a load generator.
     */
    public ReadinessProber(Vertx vertx, Readiness readiness) {
        this(vertx, readiness, null, pod -> false);
    }

    /**
     * Probes the endpoint once; a paused replica's probe goes unanswered for the probe's timeout. A probe that timed
     * out while the platform's own loops lagged is inconclusive: the answer may have been late on this side, not the
     * replica's.
     */
    Future<Probe> probe(Endpoint endpoint) {
        long timeout = Math.max(1, readiness.timeout().toMillis());
        if (paused.test(endpoint.pod())) {
            return vertx.timer(timeout).map(Probe.FAILED);
        }
        return endpoint.origin().compose(this::probe);
    }

    /** Probes {@code address} once: {@link Probe#PASSED} on a 2xx or 3xx within the timeout. */
    public Future<Probe> probe(SocketAddress address) {
        long timeout = Math.max(1, readiness.timeout().toMillis());
        long sent = System.nanoTime();
        return probes.request(new RequestOptions()
                .setHost(address.host())
                .setPort(address.port())
                .setURI(readiness.path())
                .setTimeout(timeout))
            .compose(request -> request.send())
            .compose(response -> response.body().map(body -> response.statusCode() / 100 == 2
                || response.statusCode() / 100 == 3 ? Probe.PASSED : Probe.FAILED))
            .otherwise(failure -> failure instanceof TimeoutException && lag != null && lag.laggedSince(sent, System.nanoTime())
                ? Probe.INCONCLUSIVE : Probe.FAILED);
    }

    /**
     * A lag of the platform's loops that excuses a timed-out probe: half the timeout lost on this side leaves too
     * little for the replica to be blamed.
     */
    static Duration excusingLag(Readiness readiness) {
        return Collections.min(List.of(LoopLag.BOUND, readiness.timeout().dividedBy(2)));
    }

    /** Closes the probes' client, once no replica probes any more. */
    public Future<Void> close() {
        return probes.close();
    }
}
