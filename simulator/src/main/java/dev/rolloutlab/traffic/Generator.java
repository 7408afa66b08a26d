package dev.rolloutlab.traffic;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.reports.GeneratorStats;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Open-model HTTP load: request {@code i} goes out at its intended time from the {@link LoadPlan} whether or not
 * earlier ones returned, and its latency counts from that intended time, so time spent waiting for the event loop,
 * a connection or a stalled server is measured (no coordinated omission).
 *
 * <p>The schedule is dealt round-robin to {@code lanes}, each confined to its own event loop with its own
 * connections, so one slow loop cannot hold the others' requests back. Every request ends within {@code timeout}
 * of its intended time; because the timeout is the same for all and a lane starts its requests in intended order,
 * they also expire in that order: one FIFO queue per lane finds every expired request in O(1).
 */
public final class Generator {
    /** Send lag (p99) above which the run is marked saturated: this machine, not the service, was late. */
    public static final long SATURATION_LAG_NANOS = 10_000_000L;
    private static final CharSequence USER_HEADER = HttpHeaders.createOptimized("X-User");

    /**
     * @param target        the URL every request is sent to
     * @param connections   connection pool size, shared out among the lanes
     * @param timeout       a request not answered this long after its intended time fails as a timeout
     * @param users         size of the user population requests are tagged from
     * @param versionHeader response header naming the served version
     * @param seed          seed of the user assignment, so runs are repeatable
     * @param lanes         event loops the schedule is spread over
     */
    public record Config(URI target, int connections, Duration timeout, int users, String versionHeader,
                         StatusSet success, long seed, int lanes) {
        public Config {
            if (lanes < 1 || connections < lanes) {
                throw new IllegalArgumentException("need 1 <= lanes <= connections, got " + lanes + " lanes");
            }
        }
    }

    private static final class InFlight {
        final long seq;
        final long intended;
        final int user;
        boolean done;
        HttpClientRequest request;

        InFlight(long seq, long intended, int user) {
            this.seq = seq;
            this.intended = intended;
            this.user = user;
        }
    }

    private final Vertx vertx;
    private final Config config;
    private final LoadPlan plan;
    private final Recorder recorder;
    private final RequestOptions requestOptions;
    private final long timeoutNanos;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicLong recentMaxLag = new AtomicLong();
    private volatile long origin;
    private volatile boolean stopping;

    public Generator(Vertx vertx, Config config, LoadPlan plan, Recorder recorder) {
        this.vertx = vertx;
        this.config = config;
        this.plan = plan;
        this.recorder = recorder;
        this.timeoutNanos = config.timeout().toNanos();
        URI t = config.target();
        boolean tls = "https".equals(t.getScheme());
        int port = t.getPort() > 0 ? t.getPort() : tls ? 443 : 80;
        String path = (t.getRawPath() == null || t.getRawPath().isEmpty() ? "/" : t.getRawPath())
            + (t.getRawQuery() == null ? "" : "?" + t.getRawQuery());
        // A resolved server address spares every request a host lookup.
        this.requestOptions = new RequestOptions().setMethod(HttpMethod.GET).setHost(t.getHost()).setPort(port)
            .setServer(SocketAddress.inetSocketAddress(port, t.getHost())).setURI(path).setSsl(tls);
        for (int i = 0; i < config.lanes(); i++) {
            lanes.add(new Lane(i));
        }
    }

    /**
     * Starts sending; {@code originNanoTime} (a {@link System#nanoTime()} value) is time 0 of the run, shared with
     * the recorder and the event log.
     *
     * @return completes when every request has been answered, failed or timed out
     */
    public Future<GeneratorStats> start(long originNanoTime) {
        this.origin = originNanoTime;
        List<Future<Void>> done = new ArrayList<>();
        for (Lane lane : lanes) {
            done.add(vertx.deployVerticle(lane).compose(id -> lane.finished.future()));
        }
        return Future.all(done).map(all -> stats());
    }

    /** Stops sending now (an aborted run); requests in flight are not waited for and count for nothing. */
    public void stop() {
        stopping = true;
        lanes.forEach(Lane::stop);
    }

    public long sent() {
        return lanes.stream().mapToLong(l -> l.sent).sum();
    }

    public long dropped() {
        return lanes.stream().mapToLong(l -> l.dropped).sum();
    }

    /** Largest send lag since the previous call, in nanoseconds: a live sign of saturation. */
    public long takeRecentMaxLag() {
        return recentMaxLag.getAndSet(0);
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    private GeneratorStats stats() {
        Histogram lag = new Histogram(60_000_000L, 3);
        lanes.forEach(l -> lag.add(l.sendLag));
        long sent = sent();
        long dropped = dropped();
        double seconds = stopping ? Math.max(1e-9, now() / 1e9) : plan.duration().toNanos() / 1e9;
        long p99Lag = lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(99) * 1000;
        boolean saturated = dropped > 0 || p99Lag > SATURATION_LAG_NANOS || recorder.outOfOrderGivenUp() > 0;
        return new GeneratorStats(plan.averageRate(), (sent - dropped) / seconds, lag.getMaxValue() / 1000.0,
            saturated, dropped);
    }

    /** Requests {@code index}, {@code index + lanes}, ... of the plan, on one event loop. */
    private final class Lane implements Deployable {
        final Promise<Void> finished = Promise.promise();
        final Histogram sendLag = new Histogram(60_000_000L, 3);
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private final SplittableRandom random;
        private final int step;
        private Context context;
        private HttpClient client;
        private long next;
        private long end;
        private long timer = -1;
        volatile long sent;
        volatile long dropped;

        Lane(int index) {
            this.next = index;
            this.step = config.lanes();
            this.end = plan.requests();
            this.random = new SplittableRandom(config.seed() * 31 + index);
        }

        @Override
        public Future<?> deploy(Context context) {
            this.context = context;
            int connections = config.connections() / step;
            // Requests waiting for a connection are bounded by what the timeout lets pile up; past that the
            // generator itself is the bottleneck and drops (counted, never blamed on the service).
            long waiting = (long) Math.ceil(plan.peakRate() / step * timeoutNanos / 1e9) + connections;
            client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                    .setConnectTimeout((int) Math.max(1, config.timeout().toMillis())))
                .with(new PoolOptions().setHttp1MaxSize(connections)
                    .setMaxWaitQueueSize((int) Math.min(Integer.MAX_VALUE, waiting)))
                .build();
            timer = vertx.setPeriodic(1, id -> tick());
            tick();
            return Future.succeededFuture();
        }

        void stop() {
            context.runOnContext(v -> {
                end = Math.min(end, next);
                for (InFlight f : inFlight) {
                    if (!f.done) {
                        f.done = true;
                        recorder.skip(f.seq, f.intended);
                        if (f.request != null) {
                            f.request.reset();
                        }
                    }
                }
                inFlight.clear();
                tick();
            });
        }

        private void tick() {
            long now = now();
            while (next < end) {
                long intended = plan.intendedNanos(next);
                if (intended > now) {
                    break;
                }
                send(next, intended, now);
                next += step;
            }
            expire(now);
            if (next >= end && inFlight.isEmpty() && !finished.future().isComplete()) {
                vertx.cancelTimer(timer);
                client.close();
                finished.complete();
            }
        }

        private void send(long seq, long intended, long now) {
            long lag = now - intended;
            sendLag.recordValue(Math.min(sendLag.getHighestTrackableValue(), lag / 1000));
            if (lag > recentMaxLag.get()) {
                recentMaxLag.accumulateAndGet(lag, Math::max);
            }
            sent++;
            InFlight f = new InFlight(seq, intended, random.nextInt(config.users()));
            inFlight.addLast(f);
            client.request(requestOptions).onComplete(ar -> {
                if (ar.failed()) {
                    fail(f, ar.cause());
                    return;
                }
                HttpClientRequest request = ar.result();
                if (f.done) {
                    request.reset();
                    return;
                }
                f.request = request;
                request.putHeader(USER_HEADER, Integer.toString(f.user));
                request.send().onComplete(r -> {
                    if (r.failed()) {
                        fail(f, r.cause());
                    } else {
                        receive(f, r.result());
                    }
                });
            });
        }

        private void receive(InFlight f, HttpClientResponse response) {
            int status = response.statusCode();
            String version = response.getHeader(config.versionHeader());
            response.end().onComplete(ar -> {
                if (f.done) {
                    return;
                }
                f.done = true;
                Outcome outcome = ar.succeeded() ? Failures.ofStatus(status, config.success()) : Outcome.RESET;
                recorder.record(f.seq, f.intended, now() - f.intended, outcome, version, f.user);
            });
        }

        private void fail(InFlight f, Throwable cause) {
            if (f.done) {
                return;
            }
            f.done = true;
            if (cause instanceof ConnectionPoolTooBusyException) {
                dropped++;
                recorder.skip(f.seq, f.intended);
                return;
            }
            recorder.record(f.seq, f.intended, now() - f.intended, Failures.ofException(cause), null, f.user);
        }

        /** Fails every request whose timeout has passed, oldest first, and forgets those already done. */
        private void expire(long now) {
            InFlight head;
            while ((head = inFlight.peekFirst()) != null && (head.done || now - head.intended >= timeoutNanos)) {
                inFlight.pollFirst();
                if (!head.done) {
                    head.done = true;
                    recorder.record(head.seq, head.intended, timeoutNanos, Outcome.TIMEOUT, null, head.user);
                    if (head.request != null) {
                        head.request.reset();
                    }
                }
            }
        }
    }
}
