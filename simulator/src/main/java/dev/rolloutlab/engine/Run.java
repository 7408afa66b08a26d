package dev.rolloutlab.engine;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.VertxClock;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.local.LocalPlatform;
import dev.rolloutlab.prometheus.MetricsServer;
import dev.rolloutlab.prometheus.RunObserver;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.traffic.RequestKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of a scenario: deploys the platform (unless the load targets a running service), warms up and drives the
 * load, schedules the rollout and the faults on the clock, and assembles the result. The generator runs on its own
 * Vert.x instance so the service's event loops cannot delay its schedule.
 */
public final class Run {
    /** The outcome of a run whose generator could not make its measurement. */
    public static final String INVALID = "invalid";
    private static final long METRICS_PERIOD_MILLIS = 1000;

    private final Scenario scenario;
    private final KubernetesClient kubernetes;
    private final Duration progressPeriod;
    private final Consumer<Progress> progress;
    private final Vertx platformVertx = Vertx.vertx();
    private final Vertx generatorVertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LoadSetup.GENERATOR_LANES));
    private volatile Generator generator;
    private volatile boolean aborted;
    /** The gate with {@code abortOnFail} that stopped the run, once one did. */
    private volatile LiveGates.Breach stoppedBy;
    private volatile FaultSchedule faults;
    private final List<Consumer<Event>> eventListeners = new ArrayList<>();
    private MetricsServer metrics;
    private RunObserver observed;
    /** Completed by {@link #abort()}: ends the wait for a platform that is still starting (pods may take minutes). */
    private final Promise<Void> aborting = Promise.promise();

    public Run(Scenario scenario, Duration progressPeriod, Consumer<Progress> progress) {
        this(scenario, null, progressPeriod, progress);
    }

    /**
     * @param kubernetes the client of an allowed context, for a {@code platform: kubernetes} scenario; the run
     *                   neither checks the context nor closes the client
     */
    public Run(Scenario scenario, KubernetesClient kubernetes, Duration progressPeriod, Consumer<Progress> progress) {
        this.scenario = scenario;
        this.kubernetes = kubernetes;
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
            return deployAndRun();
        } finally {
            platformVertx.close();
            generatorVertx.close();
        }
    }

    /** Also tells {@code listener} about every event of the run as it happens (from any thread); call before execute. */
    public Run onEvent(Consumer<Event> listener) {
        eventListeners.add(listener);
        return this;
    }

    /**
     * Shows the run on {@code server} as it goes, once a second, and its final totals once the result is assembled;
     * call before execute. The caller closes the server.
     */
    public Run showMetrics(MetricsServer server) {
        metrics = server;
        observed = new RunObserver(scenario.load().timeout());
        eventListeners.add(observed::on);
        return this;
    }

    /** Stops the load now; {@link #execute()} then returns a result with outcome {@code aborted}. */
    public void abort() {
        aborted = true;
        aborting.tryComplete();
        Generator g = generator;
        if (g != null) {
            g.stop();
        }
    }

    private RunResult deployAndRun() {
        Instant startedAt = Instant.now();
        VertxClock clock = new VertxClock(platformVertx, System.nanoTime());
        EventLog events = new EventLog(clock);
        eventListeners.forEach(events::onEvent);
        ReplicaCount replicas = new ReplicaCount();
        events.onEvent(replicas::on);
        Deployed deployed = Deployed.of(scenario, kubernetes, platformVertx, clock, events);
        RunFailure failed = null;
        try {
            return measure(startedAt, clock, events, replicas, deployed);
        } catch (RunFailure e) {
            failed = e;
            throw e;
        } finally {
            // Every path, a failed or interrupted one too, leaves nothing of the run behind: no replica process
            // on this machine, no fault active, no object on the cluster.
            if (deployed != null) {
                cleanUp(deployed, failed);
            }
        }
    }

    private RunResult measure(Instant startedAt, VertxClock clock, EventLog events, ReplicaCount replicas,
                              Deployed deployed) {
        Load load = scenario.load();
        Platform platform = deployed == null ? null : deployed.platform();
        LoadPlan plan = LoadSetup.plan(load);
        List<RequestKind> requests = LoadSetup.requestKinds(load, scenario.source());
        Recorder recorder = LoadSetup.recorder(plan, load.timeout(), load.users(), scenario.outage(), requests);
        URI target;
        try {
            target = platform == null ? load.target()
                : Await.result(unlessAborted(platform.start()), deployed.startTimeout(),
                    "the " + deployed.name() + " platform did not start");
        } catch (RunFailure e) {
            if (aborted) {
                return abortedBeforeTheLoad(startedAt, deployed, recorder, events, plan);
            }
            throw e;
        }

        Generator.Config config = LoadSetup.generatorConfig(load, requests, target,
            platform instanceof LocalPlatform local ? local.maxClientConnections() : null, LoadSetup.GENERATOR_LANES,
            events);
        Generator warm = load.warmup().isZero() ? null : warmUp(config, plan, load.warmup(), events);
        if (aborted) {
            // The warm-up's connections close with the generator's Vert.x when the run ends.
            return abortedBeforeTheLoad(startedAt, deployed, recorder, events, plan);
        }
        Generator gen = new Generator(generatorVertx, config, plan, recorder);
        generator = gen;
        if (warm != null) {
            Await.result(gen.adopt(warm), Duration.ofSeconds(10),
                "the load generator did not take the warm-up's connections");
        }
        Await.result(gen.connect(), load.timeout().plusSeconds(10), "the load generator did not connect");

        long setUp = clock.nanos();
        clock.rebase(setUp);
        events.rebase(setUp);
        events.add(EventType.LOAD_START, "target", target.toString(), "rate", plan.averageRate());
        RolloutSchedule rollout = platform != null && scenario.strategy() != null
            ? RolloutSchedule.start(scenario, platform, clock, events, recorder, replicas, gen::endAt) : null;
        if (platform != null) {
            faults = FaultSchedule.start(clock, scenario.faults(), deployed.faults());
        }
        long reporter = platformVertx.setPeriodic(progressPeriod.toMillis(),
            id -> progress.accept(Progress.of(clock, recorder, gen, plan)));
        long exporter = metrics == null ? -1 : platformVertx.setPeriodic(METRICS_PERIOD_MILLIS,
            id -> metrics.show(observed.live(recorder, clock.nanos(), gen.takeExportedMaxLag())));
        LiveGates live = new LiveGates(scenario.gates());
        long judge = live.isEmpty() ? -1 : platformVertx.setPeriodic(LiveGates.PERIOD_MILLIS,
            id -> live.check(recorder, clock.nanos() / 1e9).ifPresent(breach -> stop(breach, events, gen)));
        Future<GeneratorStats> finished = gen.start(clock.originNanoTime());
        if (aborted) {
            gen.stop();
        }
        GeneratorStats stats = Await.result(finished, plan.duration().plus(load.timeout()).plusSeconds(30),
            "the load generator did not finish");
        platformVertx.cancelTimer(reporter);
        platformVertx.cancelTimer(judge);
        platformVertx.cancelTimer(exporter);
        if (faults != null) {
            // Ended before the result is assembled, so what the platform says of them at their end is in it.
            faults.cancel();
        }
        long end = aborted ? clock.nanos()
            : stoppedBy != null ? Math.min(clock.nanos(), gen.endNanos()) : gen.endNanos();
        RolloutState state = rollout == null ? null : onClock(clock, rollout::state);
        if (gen.limited() > 0) {
            List<Object> byCause = new ArrayList<>();
            recorder.generatorLimitedTotals().forEach((cause, n) -> byCause.addAll(List.of(cause.key(), n)));
            events.add(EventType.GENERATOR_LIMITED, byCause.toArray());
        }
        events.add(aborted ? EventType.ABORTED : EventType.LOAD_END);
        recorder.finish(end);
        RunResult result = ResultAssembly.assemble(scenario, deployed == null ? null : deployed.name(), startedAt,
            aborted, recorder, events, stats, state, rollout == null ? 0 : rollout.baselineReplicas(), end);
        showFinal(recorder);
        return stoppedBy == null || aborted ? result : ResultAssembly.withGates(result, scenario.gates(), stoppedBy);
    }

    /** A gate with {@code abortOnFail} breached: the load stops as on an interrupt, the result says which gate. */
    private void stop(LiveGates.Breach breach, EventLog events, Generator gen) {
        if (stoppedBy != null) {
            return;
        }
        stoppedBy = breach;
        events.add(EventType.GATE_ABORT, "metric", breach.metric(), "value", breach.actual(), "max", breach.max());
        gen.stop();
    }

    /**
     * The result of a run interrupted before its measured load began (while the platform started or during the
     * warm-up): outcome {@code aborted}, the events so far, and no request, so nothing unmeasured reads as measured.
     */
    private RunResult abortedBeforeTheLoad(Instant startedAt, Deployed deployed, Recorder recorder, EventLog events,
                                           LoadPlan plan) {
        events.add(EventType.ABORTED);
        recorder.finish(0);
        GeneratorStats none = new GeneratorStats(plan.averageRate(), 0, 0, false, 0);
        RunResult result = ResultAssembly.assemble(scenario, deployed == null ? null : deployed.name(), startedAt,
            true, recorder, events, none, null, 0, 0);
        showFinal(recorder);
        return result;
    }

    /** After the result is assembled: the recorder has taken its last request, so its totals are result.json's. */
    private void showFinal(Recorder recorder) {
        if (metrics != null) {
            metrics.show(observed.last(recorder));
        }
    }

    /** Stops the platform; a cleanup that fails after the run failed is told after the run's own reason. */
    private void cleanUp(Deployed deployed, RunFailure runFailure) {
        FaultSchedule scheduled = faults;
        if (scheduled != null) {
            scheduled.cancel();
        }
        try {
            Await.result(deployed.platform().stop(), Duration.ofSeconds(30), "the " + deployed.name()
                + " platform did not clean up");
        } catch (RunFailure cleanup) {
            if (runFailure == null) {
                throw cleanup;
            }
            RunFailure both = new RunFailure(runFailure.getMessage() + "; then " + cleanup.getMessage(), runFailure);
            both.addSuppressed(cleanup);
            throw both;
        }
    }

    /** {@code starting}, or a failure as soon as the run is aborted, so that an interrupt never waits for pods. */
    private Future<URI> unlessAborted(Future<URI> starting) {
        Promise<URI> started = Promise.promise();
        starting.onComplete(ar -> {
            if (ar.succeeded()) {
                started.tryComplete(ar.result());
            } else {
                started.tryFail(ar.cause());
            }
        });
        aborting.future().onComplete(v -> started.tryFail("interrupted while it was starting"));
        return started.future();
    }

    /** Runs {@code read} on the clock's context, where the rollout's state lives, and waits for its answer. */
    private static <T> T onClock(VertxClock clock, java.util.function.Supplier<T> read) {
        Promise<T> answer = Promise.promise();
        clock.run(() -> answer.complete(read.get()));
        return Await.result(answer.future(), Duration.ofSeconds(10), "the engine did not answer");
    }

    /**
     * Sends unrecorded load before time 0 ({@link LoadSetup#warmUpPlan}), so the JIT-cold generator and service path
     * do not show up as latency of the measured run.
     */
    private Generator warmUp(Generator.Config config, LoadPlan plan, Duration length, EventLog events) {
        LoadPlan warm = LoadSetup.warmUpPlan(plan, length);
        events.add(EventType.WARMUP, "rate", warm.peakRate(), "duration", length.toNanos() / 1e9);
        Generator g = new Generator(generatorVertx, config, warm,
            LoadSetup.recorder(warm, config.timeout(), config.users(), scenario.outage(), config.requests()))
            .keepingConnections();
        generator = g;
        Await.result(g.connect(), config.timeout().plusSeconds(10), "the warm-up load did not connect");
        Future<GeneratorStats> done = g.start(System.nanoTime());
        if (aborted) {
            g.stop();
        }
        Await.result(done, length.plus(config.timeout()).plusSeconds(30), "the warm-up load did not finish");
        return g;
    }
}
