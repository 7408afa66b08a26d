package dev.rolloutlab.bench;

import dev.rolloutlab.engine.LoadSetup;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.VertxClock;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.platform.local.LocalPlatform;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.scenario.Readiness;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.Termination;
import dev.rolloutlab.scenario.VersionSpec;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.measure.StatusSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The embedded local platform as {@code run} deploys it (proxy and in-process demo replicas in this process, the
 * generator on event loops of its own): the highest rate it sustains, and what its proxy adds to a request's latency
 * beside a direct connection to one replica.
 *
 * <p>A trial is one second of unrecorded warm-up at its rate, then {@code duration} measured. It is sustained when the
 * generator kept its schedule (send lag at most {@link Criterion#maxSendLagMs}), sent at least 99 % of the plan, under
 * 1 % of the requests failed and the p99 latency stayed within 10 times the unloaded p99. The search steps the rate up
 * by 20 % while sustained, then bisects between the last good and first bad rate, as {@link Bench} does.
 */
public final class LocalPlatformBench {
    /** Below the platform's capacity on any machine: its p99 is the unloaded one. */
    static final double UNLOADED_RATE = 200;
    static final double[] OVERHEAD_RATES = {1000, 10_000};
    private static final int USERS = 1000;

    /**
     * What a sustained trial must show. The generator reports only its largest send lag, which bounds the p99 the
     * definition asks for from above: a trial that passes here passes there.
     */
    record Criterion(double maxSendLagMs, double minAchievedShare, double maxErrorRate, double maxP99Factor) {
        static final Criterion DEFAULT = new Criterion(10, 0.99, 0.01, 10);
    }

    /** One constant-rate trial. */
    record Trial(double rate, double achieved, double errorRate, double maxSendLagMs, double p50Ms, double p99Ms,
                 long lagging, long notReady) {
        boolean sustained(Criterion c, double unloadedP99Ms) {
            return maxSendLagMs <= c.maxSendLagMs() && achieved >= c.minAchievedShare() * rate
                && errorRate < c.maxErrorRate() && p99Ms <= c.maxP99Factor() * unloadedP99Ms;
        }
    }

    private final int replicas;
    private final Duration duration;
    private final Duration timeout;
    private final int connections;
    private final int lanes;
    private final double startRate;
    private final PrintWriter out;
    private final Criterion criterion = Criterion.DEFAULT;
    private Vertx platformVertx;
    private Vertx generatorVertx;
    private EventLog events;

    /**
     * @param duration measured length of each trial, at least 3 times {@code timeout} so that a backlog shows as
     *                 timeouts within the trial
     */
    public LocalPlatformBench(int replicas, Duration duration, Duration timeout, int connections, int lanes,
                              double startRate, PrintWriter out) {
        if (duration.compareTo(timeout.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("a trial must last at least 3 times the timeout (" + timeout + ")");
        }
        this.replicas = replicas;
        this.duration = duration;
        this.timeout = timeout;
        this.connections = connections;
        this.lanes = lanes;
        this.startRate = startRate;
        this.out = out;
    }

    public void run() throws Exception {
        platformVertx = Vertx.vertx();
        generatorVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(lanes));
        VertxClock clock = new VertxClock(platformVertx, System.nanoTime());
        events = new EventLog(clock);
        LocalPlatform platform = new LocalPlatform(platformVertx, service(replicas), clock, events, connections);
        DemoService direct = new DemoService(platformVertx, 0, "v1", "direct", Behavior.DEFAULT);
        try {
            URI proxied = await(platform.start());
            URI replica = URI.create("http://" + DemoService.DEFAULT_HOST + ":" + await(direct.start()).port() + "/");
            out.printf(Locale.ROOT, "bench: local platform, %d demo replicas behind its proxy on %s; generator %d "
                + "event loop(s), %d connections, timeout %d ms, trials of %d s; %d cores%n", replicas, proxied, lanes,
                connections, timeout.toMillis(), duration.toSeconds(), Runtime.getRuntime().availableProcessors());
            out.flush();
            // Unreported: the JIT compiles the request path first, so that the unloaded p99 is not a cold one.
            trial(proxied, startRate);
            Trial unloaded = trial(proxied, UNLOADED_RATE);
            report("unloaded", unloaded, true);
            double best = search(proxied, unloaded.p99Ms());
            out.printf(Locale.ROOT, "bench: local platform sustains %.0f requests/s with %d replicas (p99 <= %.1f ms, "
                + "10x the unloaded %.2f ms)%n", best, replicas, criterion.maxP99Factor() * unloaded.p99Ms(),
                unloaded.p99Ms());
            for (double rate : OVERHEAD_RATES) {
                Trial viaProxy = trial(proxied, rate);
                report("via proxy", viaProxy, viaProxy.sustained(criterion, unloaded.p99Ms()));
                Trial toReplica = trial(replica, rate);
                report("direct", toReplica, toReplica.sustained(criterion, unloaded.p99Ms()));
                out.printf(Locale.ROOT, "bench: proxy adds at %5.0f/s: p50 %+.2f ms (%.2f vs %.2f), p99 %+.2f ms "
                        + "(%.2f vs %.2f)%n", rate, viaProxy.p50Ms() - toReplica.p50Ms(), viaProxy.p50Ms(),
                    toReplica.p50Ms(), viaProxy.p99Ms() - toReplica.p99Ms(), viaProxy.p99Ms(), toReplica.p99Ms());
                out.flush();
            }
        } finally {
            Future.join(platform.stop(), direct.stop()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
            generatorVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            platformVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The demo service with the defaults of a scenario that sets nothing but the replicas. */
    static Service service(int replicas) {
        return new Service(replicas, null, new VersionSpec("v1", Behavior.DEFAULT), null,
            new Readiness("/healthz", Duration.ofSeconds(1), 1, Duration.ofSeconds(1)),
            new Termination(Duration.ZERO, Duration.ofSeconds(30)), Duration.ZERO);
    }

    /**
     * Steps up by 20 % from the start rate while sustained (halving it while not), then bisects three times; a step
     * that fails is tried once more.
     */
    private double search(URI url, double unloadedP99Ms) throws Exception {
        double good = 0;
        double bad = Double.NaN;
        double rate = startRate;
        while (Double.isNaN(bad)) {
            boolean ok = sustained("search", url, rate, unloadedP99Ms)
                // Once more before giving up: one descheduling pause on a shared machine should not end the search.
                || sustained("retry", url, rate, unloadedP99Ms);
            if (ok) {
                good = rate;
                rate *= 1.2;
            } else if (good == 0 && rate / 2 >= UNLOADED_RATE) {
                rate /= 2;
            } else {
                bad = rate;
            }
        }
        for (int i = 0; i < 3 && good > 0; i++) {
            double mid = (good + bad) / 2;
            if (sustained("bisect", url, mid, unloadedP99Ms)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    private boolean sustained(String what, URI url, double rate, double unloadedP99Ms) throws Exception {
        Trial t = trial(url, rate);
        boolean ok = t.sustained(criterion, unloadedP99Ms);
        report(what, t, ok);
        return ok;
    }

    private void report(String what, Trial t, boolean sustained) {
        out.printf(Locale.ROOT, "bench:   %-9s %7.0f/s planned -> %7.0f/s sent, errors %.2f%%, max send lag %5.1f ms, "
                + "p50 %6.2f ms, p99 %7.2f ms, platform-lagging %d, replicas not ready %d%s%n", what, t.rate(),
            t.achieved(), 100 * t.errorRate(), t.maxSendLagMs(), t.p50Ms(), t.p99Ms(), t.lagging(), t.notReady(),
            sustained ? "  ok" : "  not sustained");
        out.flush();
    }

    /** A second of warm-up at the trial's rate (as {@code run} warms up), then the measured trial. */
    private Trial trial(URI target, double rate) throws Exception {
        Thread.sleep(1000); // let the platform drain what the previous trial left
        drive(target, rate, Duration.ofSeconds(1));
        long lagging = count(EventType.PLATFORM_LAGGING);
        long notReady = count(EventType.REPLICA_NOT_READY);
        Trial t = drive(target, rate, duration);
        return new Trial(t.rate(), t.achieved(), t.errorRate(), t.maxSendLagMs(), t.p50Ms(), t.p99Ms(),
            count(EventType.PLATFORM_LAGGING) - lagging, count(EventType.REPLICA_NOT_READY) - notReady);
    }

    private long count(EventType type) {
        return events.events().stream().filter(e -> e.is(type)).count();
    }

    private Trial drive(URI target, double rate, Duration length) throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, length);
        Recorder recorder = LoadSetup.recorder(plan, timeout, USERS);
        Generator g = new Generator(generatorVertx, LoadSetup.defaultGenerator(target, connections, timeout, USERS,
            "X-Version", StatusSet.DEFAULT, 1, lanes), plan, recorder);
        GeneratorStats stats = g.start(System.nanoTime()).toCompletionStage().toCompletableFuture()
            .get(length.plus(timeout).toSeconds() + 30, TimeUnit.SECONDS);
        recorder.finish(plan.duration().toNanos());
        Map<Outcome, Long> outcomes = recorder.outcomeTotals();
        long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long failed = total - outcomes.getOrDefault(Outcome.SUCCESS, 0L);
        Histogram latency = recorder.latency();
        return new Trial(rate, stats.achievedRate(), total == 0 ? 1 : failed / (double) total, stats.maxSendLagMs(),
            millis(latency, 50), millis(latency, 99), 0, 0);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
