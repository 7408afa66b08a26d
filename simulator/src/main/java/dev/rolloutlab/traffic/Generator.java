package dev.rolloutlab.traffic;

import dev.rolloutlab.measure.StatusSet;
import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.GeneratorStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.HdrHistogram.Histogram;

/**
 * Open-model HTTP load: request {@code i} goes out at its intended time from the {@link LoadPlan} whether or not
 * earlier ones returned, and its latency counts from that intended time, so time spent waiting for the event loop,
 * a connection or a stalled server is measured (no coordinated omission).
 *
 * <p>Connections behave like a population of clients, each on its own keep-alive connection: requests go round the
 * idle connections, least recently used first, so every client carries its share; a request that finds none idle
 * opens a new one (up to {@code maxConnections}), so a hanging service shows as requests that hang and time out at
 * the rate they arrive. A connection is closed after {@link Reuse#maxRequests()} requests or {@link Reuse#maxAge()},
 * as clients behind an ingress come and go, and a client whose connection was retired so reconnects at once. The
 * first connections start as clients already connected for a while (their ages and counts spread evenly over the
 * reuse bounds), so they retire one by one, not all at the same instant. This is what a balancer that pins each
 * connection to one backend (kube-proxy) sees: new backends get new connections at the clients' reconnect rate.
 *
 * <p>What the generator could not do on time is its own failure, never the service's: a request that could not go
 * out within {@code maxSendLag} of its intended time (its lane's event loop was late, or every connection under the
 * cap was busy) is not sent at all, and one that timed out or was answered while the loop was later than that bound
 * cannot be vouched for: both are recorded as {@link Recorder#generatorLimited} and kept out of every service
 * metric. Not sending late requests also spares the service a catch-up burst its real clients would never send.
 *
 * <p>Each request is one kind of the {@link Config#requests} mix, drawn from the seed and its sequence number
 * ({@link RequestMix}), and written as that kind's ready-made bytes with its numbers filled in ({@link RequestTemplate}).
 *
 * <p>The schedule is dealt round-robin to {@code lanes}, each confined to its own event loop with its own
 * connections, so one slow loop cannot hold the others' requests back. Every request ends within {@code timeout}
 * of its intended time; because the timeout is the same for all and a lane starts its requests in intended order,
 * they also expire in that order: one FIFO queue per lane finds every expired request in O(1).
 *
 * <p>HTTP goes straight over Netty on the lanes' Vert.x event loops, one request in flight per connection. Vert.x's
 * HttpClient spent more CPU on its pool, endpoint lookup and per-request futures and contexts than on HTTP, and
 * this generator shares the machine with the service it measures.
 */
public final class Generator {
    /** Send lag (p99) above which the run is marked saturated: this machine, not the service, was late. */
    public static final long SATURATION_LAG_NANOS = 10_000_000L;
    /**
     * An idle connection closes after this long unused, as clients' pools do: well inside the keep-alive timeouts of
     * common servers (Node's 5 s, nginx's 75 s), so the generator never races a server closing a connection it idled.
     * At a rate too low to keep every connection busy, the clients that stay connected are those the rate keeps busy.
     */
    private static final long IDLE_TIMEOUT_NANOS = 2_000_000_000L;
    /** The lanes' tick: due requests go out and expired ones are found at this period. */
    private static final long TICK_NANOS = 1_000_000L;

    /**
     * @param target         the URL every request is sent to
     * @param connections    connections opened before the load starts, shared out among the lanes
     * @param maxConnections connections open at once, at most, shared out among the lanes
     * @param reuse          requests and age after which a connection is closed
     * @param timeout        a request not answered this long after its intended time fails as a timeout
     * @param maxSendLag     lateness of the generator beyond which a request is generator-limited
     * @param users          size of the user population requests are tagged from
     * @param versionHeader  response header naming the served version
     * @param seed           seed of the user assignment, so runs are repeatable
     * @param lanes          event loops the schedule is spread over
     * @param requests       the mix of requests, its kinds drawn by {@code seed}; empty for GETs of the target URL
     */
    public record Config(URI target, int connections, int maxConnections, Reuse reuse, Duration timeout,
                         Duration maxSendLag, int users, String versionHeader, StatusSet success, long seed,
                         int lanes, List<RequestKind> requests) {
        public Config {
            requests = requests == null ? List.of() : List.copyOf(requests);
            if (lanes < 1 || connections < lanes || maxConnections < connections) {
                throw new IllegalArgumentException("need 1 <= lanes <= connections <= maxConnections, got " + lanes
                    + " lanes, " + connections + " connections, " + maxConnections + " maxConnections");
            }
        }
    }

    /** A connection is closed after {@code maxRequests} requests or once it is {@code maxAge} old. */
    public record Reuse(int maxRequests, Duration maxAge) {
    }

    private final Config config;
    private final LoadPlan plan;
    private final Recorder recorder;
    private final long timeoutNanos;
    private final long maxLagNanos;
    private final long maxAgeNanos;
    private final InetSocketAddress address;
    private final SslContext tls;
    private final RequestMix mix;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicLong recentMaxLag = new AtomicLong();
    /** The same for the live metrics, which read it on their own period. */
    private final AtomicLong exportedMaxLag = new AtomicLong();
    private volatile long origin;
    private volatile boolean stopping;
    /** Requests intended at or after this are not sent ({@link #endAt}); the plan's end otherwise. */
    private volatile long endAtNanos = Long.MAX_VALUE;
    private volatile boolean keepConnections;

    public Generator(Vertx vertx, Config config, LoadPlan plan, Recorder recorder) {
        this.config = config;
        this.plan = plan;
        this.recorder = recorder;
        this.timeoutNanos = config.timeout().toNanos();
        this.maxLagNanos = config.maxSendLag().toNanos();
        this.maxAgeNanos = config.reuse().maxAge().toNanos();
        URI t = URI.create(config.target().toASCIIString());
        boolean https = "https".equals(t.getScheme());
        int defaultPort = https ? 443 : 80;
        int port = t.getPort() > 0 ? t.getPort() : defaultPort;
        String host = t.getHost();
        // Resolved once, so no request pays for a lookup; left unresolved (each connect fails) if it cannot be.
        this.address = new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
        this.tls = https ? clientTls() : null;
        String path = (t.getRawPath() == null || t.getRawPath().isEmpty() ? "/" : t.getRawPath())
            + (t.getRawQuery() == null ? "" : "?" + t.getRawQuery());
        this.mix = new RequestMix(config.requests(), path, host + (port == defaultPort ? "" : ":" + port),
            config.seed());
        VertxInternal internal = (VertxInternal) vertx;
        Bootstrap bootstrap = new Bootstrap().channelFactory(internal.transport().channelFactory(false))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.timeout().toMillis()));
        for (int i = 0; i < config.lanes(); i++) {
            // Round-robin over Vert.x's event loops, as deploying a verticle per lane would pick them.
            EventLoop loop = internal.nettyEventLoopGroup().next();
            lanes.add(new Lane(i, loop, bootstrap.clone(loop)));
        }
    }

    /** TLS as Vert.x's client did by default: the JDK's trusted CAs, and the certificate must name the host. */
    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps the idle connections open when the load ends, for a generator that follows to {@link #adopt} (the
     * measured load after a warm-up): closing them all at once and opening as many again is a connection storm the
     * clients it stands for never make.
     */
    public Generator keepingConnections() {
        keepConnections = true;
        return this;
    }

    /**
     * Takes over the idle connections a finished generator kept, lane by lane; {@code previous} must have been made
     * on the same Vert.x instance with as many lanes, so its lanes are on the same event loops.
     */
    public Future<Void> adopt(Generator previous) {
        List<Future<Void>> done = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            Lane from = previous.lanes.get(i);
            if (from.loop != lane.loop) {
                continue; // a channel cannot change event loops; this lane opens its own
            }
            Promise<Void> moved = Promise.promise();
            lane.loop.execute(() -> {
                lane.adopt(from);
                moved.complete();
            });
            done.add(moved.future());
        }
        return Future.all(done).mapEmpty();
    }

    /**
     * Opens the idle connections ({@code connections}) before the load starts, as clients that were already connected:
     * a load that starts with none would open one per request of its first milliseconds at once.
     *
     * @return completes once every lane's connections are established or failed
     */
    public Future<Void> connect() {
        List<Future<Void>> done = new ArrayList<>();
        for (Lane lane : lanes) {
            Promise<Void> connected = Promise.promise();
            lane.loop.execute(() -> lane.prepare(connected));
            done.add(connected.future());
        }
        return Future.all(done).mapEmpty();
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
            lane.loop.execute(lane::begin);
            done.add(lane.finished.future());
        }
        return Future.all(done).map(all -> stats());
    }

    /** Stops sending now (an aborted run); requests in flight are not waited for and count for nothing. */
    public void stop() {
        stopping = true;
        lanes.forEach(l -> l.loop.execute(l::stop));
    }

    /**
     * Ends the load early and in order: no request intended at or after {@code nanos} (since time 0) is sent, and
     * those in flight complete as usual. Any thread; the earliest call wins.
     */
    public void endAt(long nanos) {
        endAtNanos = Math.min(endAtNanos, nanos);
    }

    /** Where the load ends: the plan's end, or the earlier instant given to {@link #endAt}. */
    public long endNanos() {
        return Math.min(plan.duration().toNanos(), endAtNanos);
    }

    public long sent() {
        return lanes.stream().mapToLong(l -> l.sent).sum();
    }

    /** Requests the generator could not make on time so far (every cause). */
    public long limited() {
        return lanes.stream().mapToLong(l -> l.limited).sum();
    }

    /** Largest send lag since the previous call, in nanoseconds: a live sign of saturation. */
    public long takeRecentMaxLag() {
        return recentMaxLag.getAndSet(0);
    }

    /** {@link #takeRecentMaxLag()} for a second reader, the live metrics, so that neither steals the other's peak. */
    public long takeExportedMaxLag() {
        return exportedMaxLag.getAndSet(0);
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    private GeneratorStats stats() {
        Histogram lag = new Histogram(60_000_000L, 3);
        lanes.forEach(l -> lag.add(l.sendLag));
        long sent = sent();
        long limited = limited();
        double seconds = stopping ? Math.max(1e-9, now() / 1e9) : endNanos() / 1e9;
        long p99Lag = lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(99) * 1000;
        boolean saturated = limited > 0 || p99Lag > SATURATION_LAG_NANOS || recorder.outOfOrderGivenUp() > 0;
        return new GeneratorStats(plan.averageRate(), sent / seconds, lag.getMaxValue() / 1000.0, saturated, limited,
            p99Lag / 1e6, config.maxConnections(), lanes.stream().mapToInt(l -> l.peakOpen).sum(),
            lanes.stream().mapToLong(l -> l.opened).sum(), null);
    }

    /**
     * Requests {@code index}, {@code index + lanes}, ... of the plan, with its own connections; everything of a lane
     * runs on its event loop, so nothing in it is locked.
     */
    private final class Lane implements Connection.Listener {
        final Promise<Void> finished = Promise.promise();
        final Histogram sendLag = new Histogram(60_000_000L, 3);
        final EventLoop loop;
        private final Bootstrap bootstrap;
        /** Every request sent or waiting and not yet expired, in intended order; those done are dropped lazily. */
        private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
        /** Requests waiting for a connection to come free or to connect, in intended order; done ones go lazily. */
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();
        /**
         * Connected connections with nothing in flight, least recently used first, and taken from there. One that
         * closed while idle stays until it is met ({@code idle} false): a reset of thousands at once must not cost a
         * scan each.
         */
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final SplittableRandom random;
        private final int step;
        private final int maxOpen;
        private final int preopened;
        /** Connections open or being opened, and of those, the ones still connecting. */
        private int open;
        private int connecting;
        private long waitingCount;
        private boolean connectPending;
        private Promise<Void> prepared;
        private long next;
        private long end;
        /** When the latest tick ran: a lane whose loop has not ticked for longer than the lag bound is late. */
        private long lastTick;
        private ScheduledFuture<?> timer;
        volatile long sent;
        volatile long limited;
        volatile int peakOpen;
        volatile long opened;

        Lane(int index, EventLoop loop, Bootstrap bootstrap) {
            this.loop = loop;
            this.bootstrap = bootstrap;
            this.next = index;
            this.step = config.lanes();
            this.end = plan.requests();
            this.random = new SplittableRandom(config.seed() * 31 + index);
            this.maxOpen = Math.max(1, config.maxConnections() / step);
            this.preopened = Math.max(1, config.connections() / step);
        }

        /** Takes the idle connections of {@code from}, a finished lane on this event loop. */
        void adopt(Lane from) {
            for (Connection c : from.idle) {
                if (c.idle) {
                    c.adoptedBy(this);
                    idle.addLast(c);
                    open++;
                    from.open--;
                }
            }
            from.idle.clear();
            peakOpen = Math.max(peakOpen, open);
        }

        /** Opens the idle pool's connections; {@code done} completes when none is still connecting. */
        void prepare(Promise<Void> done) {
            prepared = done;
            int first = open;
            for (int i = 0; open < preopened; i++) {
                // The i-th of n clients has been connected for i/n of the reuse bounds already.
                double lived = (double) (first + i) / preopened;
                connect((long) (maxAgeNanos * lived), (int) (config.reuse().maxRequests() * lived));
            }
            preparedIfConnected();
        }

        private void preparedIfConnected() {
            if (prepared != null && connecting == 0) {
                prepared.tryComplete();
                prepared = null;
            }
        }

        void begin() {
            if (!finished.future().isComplete()) { // not stopped before it started
                lastTick = now();
                timer = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
                tick();
            }
        }

        void stop() {
            end = Math.min(end, next);
            for (Request r : inFlight) {
                if (!r.done) {
                    r.done = true;
                    recorder.skip(r.seq, r.intended);
                    if (r.connection != null) {
                        r.connection.close();
                    }
                }
            }
            inFlight.clear();
            waiting.clear();
            waitingCount = 0;
            tick();
        }

        private void tick() {
            if (finished.future().isComplete()) {
                return;
            }
            try {
                long now = now();
                // Deadlines that passed while this loop did not run were not watched: what became of them is unknown.
                long unwatchedSince = now - lastTick > maxLagNanos + TICK_NANOS ? lastTick : Long.MAX_VALUE;
                lastTick = now;
                while (next < end) {
                    long intended = plan.intendedNanos(next);
                    if (intended > now) {
                        break;
                    }
                    if (intended >= endAtNanos) {
                        end = next;
                        break;
                    }
                    send(next, intended, now);
                    next += step;
                }
                expire(now, unwatchedSince);
                retireAgedIdle();
                if (next >= end && inFlight.isEmpty()) {
                    finish(null);
                }
            } catch (RuntimeException | Error e) {
                finish(e); // a periodic task that throws would silently never run again
            }
        }

        private void finish(Throwable failure) {
            if (timer != null) {
                timer.cancel(false);
            }
            if (!keepConnections || failure != null) {
                new ArrayList<>(idle).forEach(Connection::close);
            }
            if (failure == null) {
                finished.tryComplete();
            } else {
                finished.tryFail(failure);
            }
        }

        private void send(long seq, long intended, long now) {
            long lag = now - intended;
            sendLag.recordValue(Math.min(sendLag.getHighestTrackableValue(), lag / 1000));
            if (lag > recentMaxLag.get()) {
                recentMaxLag.accumulateAndGet(lag, Math::max);
            }
            if (lag > exportedMaxLag.get()) {
                exportedMaxLag.accumulateAndGet(lag, Math::max);
            }
            if (lag > maxLagNanos) {
                // Sent now, it would be measured with the generator's lag in it, and the catch-up burst is a load
                // the clients it stands for never sent.
                limited(seq, intended, lag >= timeoutNanos ? LimitCause.EXPIRED_UNSENT : LimitCause.LOOP_LATE);
                return;
            }
            sent++;
            Request r = new Request(seq, intended, random.nextInt(config.users()), mix.kindOf(seq));
            Connection c = takeIdle();
            if (c != null) {
                c.send(r);
            } else if (waitingCount < maxOpen + (long) (plan.peakRate() / step * timeoutNanos / 1e9)) {
                // It takes the first connection to come free or to connect; one is opened for each waiting request,
                // and the newest waits on the cap when none could be opened for it.
                waiting.addLast(r);
                waitingCount++;
                connectForWaiters();
                r.atCap = connecting < waitingCount;
            } else {
                limited(seq, intended, LimitCause.NO_CONNECTION);
                return;
            }
            inFlight.addLast(r);
        }

        /** Opens connections until each waiting request has one on the way, within the cap. */
        private void connectForWaiters() {
            while (open < maxOpen && connecting < waitingCount) {
                connect(0, 0);
            }
        }

        /**
         * The least recently used idle connection still young enough to reuse; older ones are retired, and ones idle
         * too long closed.
         */
        private Connection takeIdle() {
            Connection c;
            long now = System.nanoTime();
            while ((c = idle.pollFirst()) != null) {
                if (!c.idle) {
                    continue; // closed while idle
                }
                if (!stale(c, now)) {
                    c.idle = false;
                    return c;
                }
                end(c, now);
            }
            return null;
        }

        /** Past its age, or idle for {@value #IDLE_TIMEOUT_NANOS} ns: an idle connection not to reuse. */
        private boolean stale(Connection c, long now) {
            return now - c.openedAt >= maxAgeNanos || now - c.idleSince >= IDLE_TIMEOUT_NANOS;
        }

        /** Ends a {@link #stale} idle connection: past its age it is retired (its client reconnects), else closed. */
        private void end(Connection c, long now) {
            c.idle = false;
            if (now - c.openedAt >= maxAgeNanos) {
                retire(c);
            } else {
                c.close();
            }
        }

        /** Closes a connection at the end of its reuse; its client reconnects once it is gone ({@link #closed}). */
        private void retire(Connection c) {
            c.retired = true;
            c.close();
        }

        /**
         * @param age    how long the client has been connected already
         * @param served how many requests its connection has carried already
         */
        private void connect(long age, int served) {
            open++;
            connecting++;
            opened++;
            if (open > peakOpen) {
                peakOpen = open;
            }
            Connection c = new Connection(this, mix, config.versionHeader(), System.nanoTime() - age);
            c.served = served;
            ChannelHandler handler = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (tls != null) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
                        SSLEngine engine = ssl.engine();
                        SSLParameters params = engine.getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(params);
                        ch.pipeline().addLast(ssl);
                    }
                    // Header validation is the server's business; the generator only reads status and version.
                    ch.pipeline().addLast(new HttpResponseDecoder(new HttpDecoderConfig().setValidateHeaders(false)),
                        c);
                }
            };
            ChannelFuture connect = bootstrap.clone().handler(handler).connect(address);
            c.connecting(connect);
        }

        @Override
        public void connected(Connection c) {
            connecting--;
            give(c);
            preparedIfConnected();
        }

        /**
         * A free connection takes the oldest waiting request, or waits idle: a client keeps its connection a while,
         * and closing at once every one a burst opened would only make the next burst open them again.
         */
        private void give(Connection c) {
            Request waiter = nextWaiting();
            if (waiter != null) {
                c.send(waiter);
            } else {
                c.idle = true;
                c.idleSince = System.nanoTime();
                idle.addLast(c);
            }
        }

        /**
         * Forgets idle connections that closed, and closes the least recently used once it is past its age (its
         * client reconnects), or has been idle for {@value #IDLE_TIMEOUT_NANOS} ns (it does not): what a burst opened
         * goes again once the burst is over.
         */
        private void retireAgedIdle() {
            Connection oldest;
            while ((oldest = idle.peekFirst()) != null && !oldest.idle) {
                idle.pollFirst();
            }
            long now = System.nanoTime();
            if (oldest != null && stale(oldest, now)) {
                idle.pollFirst();
                end(oldest, now);
            }
        }

        @Override
        public void answered(Connection c, Request r, int status, String version, String routedVersion,
                             boolean reusable) {
            long now = now();
            if (!r.done) {
                r.done = true;
                if (loopLate(now)) {
                    limited(r.seq, r.intended, LimitCause.LOOP_LATE);
                } else if (now - r.intended >= timeoutNanos) {
                    // Answered after its deadline, before the next tick found it: too late is a timeout.
                    recorder.record(r.seq, r.intended, timeoutNanos, Outcome.TIMEOUT, null, null, r.user, r.kind);
                } else {
                    recorder.record(r.seq, r.intended, now - r.intended, Failures.ofStatus(status, config.success()),
                        version, routedVersion, r.user, r.kind);
                }
            }
            if (!reusable) {
                return; // the connection closes itself
            }
            if (++c.served >= config.reuse().maxRequests() || System.nanoTime() - c.openedAt >= maxAgeNanos) {
                retire(c);
                return;
            }
            give(c);
        }

        @Override
        public void closed(Connection c, Request r, Throwable cause) {
            open--;
            if (!c.wasConnected()) {
                connecting--;
                preparedIfConnected();
                // The connect meant for a waiting request failed (refused, reset): that request meets the failure. One
                // that timed out has left its waiters to their own deadlines.
                if (!(cause instanceof ConnectTimeoutException) && (r = nextWaiting()) != null) {
                    r.connection = c;
                }
            }
            c.idle = false; // left in the idle stack until met there
            if (r != null && !r.done) {
                r.done = true;
                long now = now();
                if (loopLate(now)) {
                    limited(r.seq, r.intended, LimitCause.LOOP_LATE);
                } else {
                    recorder.record(r.seq, r.intended, now - r.intended, Failures.ofException(cause), null, null, r.user,
                        r.kind);
                }
            }
            if (c.retired && open < preopened && !finished.future().isComplete() && next < end) {
                connect(0, 0);
            }
            if (waitingCount > 0 && !connectPending) {
                // Not from here: a connect that fails at once would recurse through closed() once per waiter.
                connectPending = true;
                loop.execute(() -> {
                    connectPending = false;
                    connectForWaiters();
                });
            }
        }

        /** This loop has not ticked for longer than the lag bound: what it reads now may have waited for it. */
        private boolean loopLate(long now) {
            return now - lastTick > maxLagNanos + TICK_NANOS;
        }

        private void limited(long seq, long intended, LimitCause cause) {
            limited++;
            recorder.generatorLimited(seq, intended, cause);
        }

        /**
         * The oldest request still waiting for a connection that can still go out on time; those that waited at the
         * cap beyond the lag bound are the generator's failure.
         */
        private Request nextWaiting() {
            Request r;
            long now = now();
            while ((r = waiting.pollFirst()) != null) {
                if (!r.done) {
                    waitingCount--;
                    if (!r.atCap || now - r.intended <= maxLagNanos) {
                        return r;
                    }
                    r.done = true;
                    limited(r.seq, r.intended, LimitCause.NO_CONNECTION);
                }
            }
            return null;
        }

        /**
         * Ends every request whose deadline has passed, oldest first, and forgets those already done. One that
         * never got a connection under the cap, or whose deadline passed while this loop did not run (since
         * {@code unwatchedSince}), is generator-limited; the others timed out.
         */
        private void expire(long now, long unwatchedSince) {
            Request oldest;
            while ((oldest = inFlight.peekFirst()) != null
                && (oldest.done || now - oldest.intended >= timeoutNanos)) {
                inFlight.pollFirst();
                if (!oldest.done) {
                    oldest.done = true;
                    if (oldest.connection == null) {
                        waitingCount--;
                        if (oldest.atCap) {
                            limited(oldest.seq, oldest.intended, LimitCause.NO_CONNECTION);
                        } else {
                            // Its connection did not connect within the timeout: the service did not accept it.
                            recorder.record(oldest.seq, oldest.intended, timeoutNanos, Outcome.TIMEOUT, null, null,
                                oldest.user, oldest.kind);
                        }
                        continue;
                    }
                    if (oldest.intended + timeoutNanos > unwatchedSince) {
                        limited(oldest.seq, oldest.intended, LimitCause.LOOP_LATE);
                    } else {
                        recorder.record(oldest.seq, oldest.intended, timeoutNanos, Outcome.TIMEOUT, null, null,
                            oldest.user, oldest.kind);
                    }
                    oldest.connection.close(); // its answer may still come: only a new connection is clean
                }
            }
        }
    }
}
