package dev.rolloutlab.engine;

import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.local.LocalPlatform;
import dev.rolloutlab.reports.Gate;
import dev.rolloutlab.reports.GateMetrics;
import dev.rolloutlab.reports.GateResult;
import dev.rolloutlab.reports.GeneratorStats;
import dev.rolloutlab.reports.RunResult;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.traffic.StatusSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of a scenario: brings the platform up (unless the load targets an existing service), drives the load,
 * injects the faults on the clock, and turns what the recorder saw into a {@link RunResult}. The generator runs on
 * its own Vert.x instance so the service's event loops cannot delay its schedule.
 */
public final class Run {
    private static final long BUCKET_NANOS = 10_000_000L;
    /**
     * Event loops of the generator: one keeps well over 100,000 requests a second on schedule here, and the
     * platform's replicas need the remaining cores.
     */
    public static final int GENERATOR_LANES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

    private final Scenario scenario;
    private final Duration progressPeriod;
    private final Consumer<Progress> progress;
    private final Vertx platformVertx = Vertx.vertx();
    private final Vertx generatorVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(GENERATOR_LANES));
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Generator generator;
    private volatile boolean aborted;

    public Run(Scenario scenario, Duration progressPeriod, Consumer<Progress> progress) {
        this.scenario = scenario;
        this.progressPeriod = progressPeriod;
        this.progress = progress;
    }

    /**
     * Runs to the end of the load, or until {@link #abort()}.
     *
     * @throws RunFailure when the platform cannot start or the load cannot be driven
     */
    public RunResult execute() {
        try {
            return run();
        } finally {
            platformVertx.close();
            generatorVertx.close();
            done.countDown();
        }
    }

    /** Stops the load now; {@link #execute()} then returns a result with outcome {@code aborted}. */
    public void abort() {
        aborted = true;
        Generator g = generator;
        if (g != null) {
            g.stop();
        }
    }

    /** Waits for {@link #execute()} to have returned and released everything it started. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RunResult run() {
        Instant startedAt = Instant.now();
        Load load = scenario.load();
        VertxClock clock = new VertxClock(platformVertx, System.nanoTime());
        EventLog events = new EventLog(clock);
        LocalPlatform platform = load.target() == null
            ? new LocalPlatform(platformVertx, scenario.service(), clock, events, load.connections()) : null;
        URI target = platform == null ? load.target()
            : await(platform.start(), Duration.ofSeconds(60), "the local platform did not start");

        LoadPlan plan = LoadPlan.of(load);
        Generator.Config config = new Generator.Config(target, load.connections(), load.timeout(), load.users(),
            load.versionHeader(), StatusSet.parse(load.success()), 1, GENERATOR_LANES);
        if (!load.warmup().isZero()) {
            warmUp(config, plan, load.warmup(), events);
        }
        long timeout = load.timeout().toNanos();
        Recorder recorder = new Recorder(BUCKET_NANOS, scenario.outage().minFailures(), load.users(),
            (int) Math.min(1 << 24, plan.peakRate() * (timeout + 2e9) / 1e9) + 1024, timeout + 1_000_000_000L);
        Generator gen = new Generator(generatorVertx, config, plan, recorder);
        generator = gen;

        long setUp = clock.nanos();
        clock.rebase(setUp);
        events.rebase(setUp);
        events.add("load-start", "target", target.toString(), "rate", plan.averageRate());
        if (platform != null) {
            scheduleFaults(clock, platform);
        }
        long reporter = platformVertx.setPeriodic(progressPeriod.toMillis(), id -> report(clock, recorder, gen, plan));
        Future<GeneratorStats> finished = gen.start(clock.originNanoTime());
        if (aborted) {
            gen.stop();
        }
        GeneratorStats stats = await(finished, plan.duration().plus(load.timeout()).plusSeconds(30),
            "the load generator did not finish");
        platformVertx.cancelTimer(reporter);
        long end = aborted ? clock.nanos() : plan.duration().toNanos();
        events.add(aborted ? "aborted" : "load-end");
        recorder.finish(end);
        if (platform != null) {
            await(platform.stop(), Duration.ofSeconds(10), "the local platform did not stop");
        }
        MetricsCalculator calculator = new MetricsCalculator(recorder,
            RunFacts.loadOnly(end, scenario.slo().errorRate()));
        RunResult result = new RunResult(RunResult.SCHEMA_VERSION, scenario.name(), "none",
            platform == null ? "external" : "local", startedAt, aborted ? "aborted" : "completed",
            calculator.metrics(), stats, events.events(), calculator.timeline(), List.of());
        return withGates(result, scenario.gates());
    }

    /**
     * Sends unrecorded load before time 0 at the plan's starting rate (a tenth of its peak when it starts from 0),
     * so the JIT-cold generator and service path do not show up as latency of the measured run.
     */
    private void warmUp(Generator.Config config, LoadPlan plan, Duration length, EventLog events) {
        double rate = plan.rateAt(0) > 0 ? plan.rateAt(0) : plan.peakRate() / 10;
        events.add("warmup", "rate", rate, "duration", length.toNanos() / 1e9);
        LoadPlan warm = LoadPlan.constant(rate, length);
        Generator g = new Generator(generatorVertx, config, warm, new Recorder(BUCKET_NANOS, 1, config.users(),
            (int) Math.min(1 << 20, rate * 4) + 1024, config.timeout().toNanos() + 1_000_000_000L));
        generator = g;
        Future<GeneratorStats> done = g.start(System.nanoTime());
        if (aborted) {
            g.stop();
        }
        await(done, length.plus(config.timeout()).plusSeconds(30), "the warm-up load did not finish");
    }

    /**
     * What this version cannot run yet, each as a message naming the key: strategies and platforms other than the
     * local one arrive with later work, as do fault types other than {@code outage}.
     */
    public static List<String> unsupported(Scenario s) {
        List<String> problems = new ArrayList<>();
        if (s.strategy() != null) {
            problems.add("strategy: '" + s.strategy().type() + "' is not executed yet; this version runs load-only "
                + "scenarios (remove 'strategy', or use 'validate' to check the file)");
        }
        if (!"local".equals(s.platform())) {
            problems.add("platform: '" + s.platform() + "' is not available yet; use platform: local");
        }
        s.faults().stream().filter(f -> f.type() != FaultType.OUTAGE).forEach(f -> problems.add("faults: type '"
            + f.type().yamlName() + "' is not injected yet; this version injects 'outage'"));
        return problems;
    }

    private void scheduleFaults(Clock clock, LocalPlatform platform) {
        scenario.faults().forEach(f -> clock.at(f.at().toNanos(), () -> platform.outage(f.duration())));
    }

    static RunResult withGates(RunResult result, Map<String, Gate> gates) {
        List<GateResult> checked = new ArrayList<>();
        gates.forEach((metric, gate) -> checked.add(gate.check(metric, GateMetrics.value(metric, result))));
        return new RunResult(result.schemaVersion(), result.scenario(), result.strategy(), result.platform(),
            result.startedAt(), result.outcome(), result.metrics(), result.generator(), result.events(),
            result.timeline(), checked);
    }

    private void report(Clock clock, Recorder recorder, Generator gen, LoadPlan plan) {
        long now = clock.nanos();
        // The latest second of traffic, leaving its slowest requests a moment to come back.
        long to = Math.max(0, now - 200_000_000L);
        Recorder.WindowCounts w = recorder.window(Math.max(0, to - 1_000_000_000L), to);
        var latency = recorder.latencyOfSecond(recorder.lastSummarisedSecond());
        long lag = gen.takeRecentMaxLag();
        double seconds = Math.min(1e9, to) / 1e9;
        progress.accept(new Progress(now / 1e9, plan.duration().toNanos() / 1e9, seconds == 0 ? 0 : w.total() / seconds,
            w.total() == 0 ? 0 : w.failed() / (double) w.total(), latency == null ? null : latency.p95(),
            w.byVersion(), lag / 1e6, lag > Generator.SATURATION_LAG_NANOS));
    }

    private static <T> T await(Future<T> future, Duration timeout, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RunFailure(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RunFailure(what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(what + ": interrupted", e);
        }
    }
}
