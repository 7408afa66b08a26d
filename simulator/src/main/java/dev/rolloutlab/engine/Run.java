package dev.rolloutlab.engine;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.VertxClock;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.analysis.AnalysisRun;
import dev.rolloutlab.chaos.FaultPort;
import dev.rolloutlab.chaos.mesh.ChaosMeshInjector;
import dev.rolloutlab.chaos.mesh.Selector;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.kubernetes.KubernetesPlatform;
import dev.rolloutlab.platform.kubernetes.Workloads;
import dev.rolloutlab.scenario.Kubernetes;
import dev.rolloutlab.scenario.VersionSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.strategy.Rollout;
import dev.rolloutlab.strategy.Strategies;
import io.vertx.core.Promise;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.local.LocalPlatform;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateMetrics;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.StrategySpec;
import dev.rolloutlab.result.GeneratorLimited;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.traffic.FileLimit;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.measure.StatusSet;
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
    /** The outcome of a run whose generator could not make its measurement. */
    public static final String INVALID = "invalid";
    /**
     * Event loops of the generator: one keeps well over 100,000 requests a second on schedule here, and the
     * platform's replicas need the remaining cores.
     */
    public static final int GENERATOR_LANES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

    private final Scenario scenario;
    private final KubernetesClient kubernetes;
    private final Duration progressPeriod;
    private final Consumer<Progress> progress;
    private final Vertx platformVertx = Vertx.vertx();
    private final Vertx generatorVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(GENERATOR_LANES));
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Generator generator;
    private volatile boolean aborted;
    private volatile int baselineReplicas;
    private volatile FaultSchedule faults;
    private final List<Consumer<Event>> eventListeners = new ArrayList<>();
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
            return run();
        } finally {
            platformVertx.close();
            generatorVertx.close();
            done.countDown();
        }
    }

    /** Also tells {@code listener} about every event of the run as it happens (from any thread); call before execute. */
    public Run onEvent(Consumer<Event> listener) {
        eventListeners.add(listener);
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

    /** Waits for {@link #execute()} to have returned and released everything it started. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RunResult run() {
        Instant startedAt = Instant.now();
        Load load = scenario.load();
        StrategySpec spec = scenario.strategy();
        VertxClock clock = new VertxClock(platformVertx, System.nanoTime());
        EventLog events = new EventLog(clock);
        eventListeners.forEach(events::onEvent);
        ReplicaCount replicas = new ReplicaCount();
        events.onEvent(replicas::on);
        int cells = spec instanceof CellBasedSpec cellBased ? cellBased.cells() : 1;
        Deployed deployed = load.target() != null ? null
            : onKubernetes() ? kubernetes(clock, events, cells)
            : local(new LocalPlatform(platformVertx, scenario.service(), clock, events, load.connections(), cells));
        RunFailure failed = null;
        try {
            return run(startedAt, clock, events, replicas, deployed);
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

    /** Stops the platform; a cleanup that fails after the run failed is told after the run's own reason. */
    private void cleanUp(Deployed deployed, RunFailure runFailure) {
        FaultSchedule scheduled = faults;
        if (scheduled != null) {
            scheduled.cancel();
        }
        try {
            await(deployed.platform().stop(), Duration.ofSeconds(30), "the " + deployed.name()
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

    /** The platform a run deploys on, the port its faults go through, and how long it may take to start. */
    private record Deployed(String name, Platform platform, FaultPort faults, Duration startTimeout) {
    }

    private boolean onKubernetes() {
        return "kubernetes".equals(scenario.platform());
    }

    private static Deployed local(LocalPlatform platform) {
        return new Deployed("local", platform, platform, Duration.ofSeconds(60));
    }

    /**
     * A fresh run id names the run's namespace (unless the scenario gives one) and labels every object, Chaos Mesh
     * ones included, so that the end of the run and {@code rollout-lab cleanup} find them all.
     */
    private Deployed kubernetes(Clock clock, EventLog events, int cells) {
        if (kubernetes == null) {
            throw new IllegalStateException("a kubernetes run needs a client of an allowed context");
        }
        String runId = ChaosMeshInjector.newRunId();
        Kubernetes k = scenario.kubernetes();
        String namespace = k.namespace() != null ? k.namespace() : Workloads.runNamespace(runId);
        Workloads objects = new Workloads(scenario, namespace, runId);
        events.add(EventType.KUBERNETES, "runId", runId, "namespace", namespace, "server",
            kubernetes.getConfiguration().getMasterUrl());
        VersionSpec candidate = scenario.service().candidate();
        Selector selector = new Selector(namespace, objects.app(), scenario.service().stable().version(),
            candidate == null ? null : candidate.version(), Workloads.CONTAINER_PORT);
        return new Deployed("kubernetes",
            new KubernetesPlatform(kubernetes, scenario, objects, k.namespace() == null, clock, events, cells),
            new ChaosMeshInjector(kubernetes, namespace, runId, selector), k.readyTimeout().plusSeconds(30));
    }

    private RunResult run(Instant startedAt, VertxClock clock, EventLog events, ReplicaCount replicas,
                          Deployed deployed) {
        Load load = scenario.load();
        StrategySpec spec = scenario.strategy();
        Platform platform = deployed == null ? null : deployed.platform();
        URI target = platform == null ? load.target()
            : await(unlessAborted(platform.start()), deployed.startTimeout(),
                "the " + deployed.name() + " platform did not start");

        LoadPlan plan = LoadPlan.of(load);
        Generator.Config config = generatorConfig(load, target,
            platform instanceof LocalPlatform local ? local.maxClientConnections() : null, events);
        Generator warm = load.warmup().isZero() ? null : warmUp(config, plan, load.warmup(), events);
        long timeout = load.timeout().toNanos();
        Recorder recorder = new Recorder(BUCKET_NANOS, scenario.outage().minFailures(), scenario.outage().chance(),
            load.users(),
            (int) Math.min(1 << 24, plan.peakRate() * (timeout + 2e9) / 1e9) + 1024, timeout + 1_000_000_000L);
        Generator gen = new Generator(generatorVertx, config, plan, recorder);
        generator = gen;
        if (warm != null) {
            await(gen.adopt(warm), Duration.ofSeconds(10), "the load generator did not take the warm-up's connections");
        }
        await(gen.connect(), load.timeout().plusSeconds(10), "the load generator did not connect");

        long setUp = clock.nanos();
        clock.rebase(setUp);
        events.rebase(setUp);
        events.add(EventType.LOAD_START, "target", target.toString(), "rate", plan.averageRate());
        Rollout rollout = platform != null && spec != null
            ? scheduleRollout(spec, platform, clock, events, recorder, replicas) : null;
        if (platform != null) {
            faults = FaultSchedule.start(clock, scenario.faults(), deployed.faults());
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
        RolloutState state = rollout == null ? null : onClock(clock, () -> RolloutState.of(rollout, replicas));
        if (gen.limited() > 0) {
            List<Object> byCause = new ArrayList<>();
            recorder.generatorLimitedTotals().forEach((cause, n) -> byCause.addAll(List.of(cause.key(), n)));
            events.add(EventType.GENERATOR_LIMITED, byCause.toArray());
        }
        events.add(aborted ? EventType.ABORTED : EventType.LOAD_END);
        recorder.finish(end);
        RunFacts facts = state == null ? RunFacts.loadOnly(end, scenario.slo().errorRate())
            : state.facts(end, scenario, baselineReplicas);
        MetricsCalculator calculator = new MetricsCalculator(recorder, facts);
        Metrics metrics = calculator.metrics();
        String outcome = aborted ? "aborted" : state == null ? "completed"
            : state.outcome(calculator.trafficRestored());
        String invalid = aborted ? null : invalidBecause(load, metrics, stats);
        if (invalid != null) {
            stats = stats.invalid(invalid + (outcome.equals("completed") ? "" : " (the rollout's outcome was "
                + outcome + ")"));
            outcome = INVALID;
        }
        RunResult result = new RunResult(RunResult.SCHEMA_VERSION, scenario.name(),
            spec == null ? "none" : spec.type().yamlName(),
            platform == null ? "external" : deployed.name(), startedAt, outcome,
            metrics, stats, events.events(), calculator.timeline(), List.of(), calculator.outages());
        return withGates(result, scenario.gates());
    }

    /**
     * The generator's connections: the scenario's cap, lowered to what this process's open-file limit leaves (on the
     * local platform each connection also holds the proxy's two sockets and the replica's one) and to what the local
     * platform's proxy accepts ({@code localProxyCap}, null elsewhere): past either, the load could only fail for
     * this machine's sake, which must never read as the service's failure.
     */
    static Generator.Config generatorConfig(Load load, URI target, Integer localProxyCap, EventLog events) {
        int byFiles = FileLimit.connectionCap(load.maxConnections(), localProxyCap != null ? 4 : 1);
        int cap = localProxyCap == null ? byFiles : Math.min(byFiles, localProxyCap);
        if (cap < load.maxConnections()) {
            events.add(EventType.GENERATOR_CONNECTION_CAP, "maxConnections", cap, "asked", load.maxConnections(),
                "why", cap == byFiles ? "the process's open-file limit (ulimit -n) leaves room for no more"
                    : "the local platform's proxy accepts no more client connections");
        }
        int lanes = Math.min(GENERATOR_LANES, cap);
        return new Generator.Config(target, Math.max(lanes, Math.min(load.connections(), cap)), cap,
            load.connectionReuse(), load.timeout(), load.maxSendLag(), load.users(), load.versionHeader(),
            StatusSet.parse(load.success()), 1, lanes);
    }

    /**
     * Why the run's measurement cannot be trusted, or null: more requests than {@code load.maxGeneratorLimited}
     * that the generator could not make on time, or a p99 send lag beyond {@code load.maxSendLag}.
     */
    static String invalidBecause(Load load, Metrics metrics, GeneratorStats stats) {
        GeneratorLimited limited = metrics.generatorLimited();
        if (limited.requests() > 0 && limited.share() > load.maxGeneratorLimited()) {
            return String.format(java.util.Locale.ROOT, "the generator could not make %d of %d requests on time "
                + "(%.3f %% > load.maxGeneratorLimited %.3f %%)", limited.requests(),
                metrics.requests() + limited.requests(), 100 * limited.share(), 100 * load.maxGeneratorLimited());
        }
        double lagBoundMs = load.maxSendLag().toNanos() / 1e6;
        if (stats.p99SendLagMs() != null && stats.p99SendLagMs() > lagBoundMs) {
            return String.format(java.util.Locale.ROOT, "the generator's p99 send lag %.1f ms exceeds "
                + "load.maxSendLag %.1f ms", stats.p99SendLagMs(), lagBoundMs);
        }
        return null;
    }

    /**
     * Starts the strategy at {@code startAt} and a scripted rollback at {@code rollback.at}, all on the clock; the
     * recorder learns the rollout window from the milestones.
     */
    private Rollout scheduleRollout(StrategySpec spec, Platform platform, VertxClock clock,
                                    EventLog events, Recorder recorder, ReplicaCount replicas) {
        Rollout rollout = new Rollout(platform, clock, events, scenario.service(), spec);
        events.onEvent(e -> {
            if (e.kind() != null && e.kind().endsRollout()) {
                recorder.markRolloutEnd(Math.round(e.t() * 1e9));
            } else if (e.is(EventType.ROLLBACK) && Boolean.TRUE.equals(e.detail().get("afterPromotion"))) {
                // An undo reopens the rollout: users meet the candidate again until rollback-complete.
                recorder.markRolloutEnd(Long.MAX_VALUE);
            }
        });
        clock.at(spec.startAt().toNanos(), () -> {
            baselineReplicas = replicas.running();
            replicas.resetPeak();
            long now = clock.nanos();
            recorder.markRolloutStart(now);
            rollout.begin(Strategies.create(rollout));
            if (scenario.analysis() != null && !rollout.ended()) {
                startAnalysis(spec, platform, clock, events, recorder, rollout,
                    AnalysisRun.baselineThroughput(recorder, 0, now));
            }
        });
        if (scenario.rollback() != null) {
            clock.at(scenario.rollback().at().toNanos(), () -> rollout.abort("scripted rollback at "
                + Durations.format(scenario.rollback().at())));
        }
        return rollout;
    }

    /** Background analysis from rollout start to its end; a breach is the rollback decision. */
    private void startAnalysis(StrategySpec spec, Platform platform, Clock clock,
                               EventLog events, Recorder recorder, Rollout rollout, double baselineThroughput) {
        String stable = scenario.service().stable().version();
        String candidate = scenario.service().candidate().version();
        int cells = spec instanceof CellBasedSpec cellBased ? cellBased.cells() : 0;
        AnalysisRun analysis = new AnalysisRun(scenario.analysis(), clock, events, recorder, platform, stable,
            candidate, scope -> replicaSets(scope, stable, candidate, cells), baselineThroughput, rollout::abort);
        events.onEvent(e -> {
            if (e.kind() != null && e.kind().endsRollout()) {
                analysis.stop();
            }
        });
        analysis.start();
    }

    /** The replica sets a rule's scope covers: per cell for a cell-based rollout. */
    static List<ReplicaSet> replicaSets(String scope, String stable, String candidate, int cells) {
        List<String> versions = switch (scope) {
            case "candidate" -> List.of(candidate);
            case "stable" -> List.of(stable);
            default -> List.of(stable, candidate);
        };
        List<ReplicaSet> sets = new ArrayList<>();
        for (String v : versions) {
            if (cells == 0) {
                sets.add(ReplicaSet.of(v));
            }
            for (int k = 1; k <= cells; k++) {
                sets.add(new ReplicaSet(v, k));
            }
        }
        return sets;
    }

    /** Runs {@code read} on the clock's context, where the rollout's state lives, and waits for its answer. */
    private static <T> T onClock(VertxClock clock, java.util.function.Supplier<T> read) {
        Promise<T> answer = Promise.promise();
        clock.run(() -> answer.complete(read.get()));
        return await(answer.future(), Duration.ofSeconds(10), "the engine did not answer");
    }

    /**
     * Sends unrecorded load before time 0, so the JIT-cold generator and service path do not show up as latency of
     * the measured run: rising from a tenth of the plan's starting rate (a tenth of its peak when it starts from 0)
     * to that rate over half the warm-up, then holding it while the JIT compiles the hot paths at full rate. A cold
     * service hit at full rate falls behind, and the clients' answer to a slow service, more connections, would only
     * bury it deeper.
     */
    private Generator warmUp(Generator.Config config, LoadPlan plan, Duration length, EventLog events) {
        double rate = plan.rateAt(0) > 0 ? plan.rateAt(0) : plan.peakRate() / 10;
        events.add(EventType.WARMUP, "rate", rate, "duration", length.toNanos() / 1e9);
        LoadPlan warm = LoadPlan.ramps(rate / 10, List.of(new LoadPlan.Ramp(rate, length.dividedBy(2))), length);
        Generator g = new Generator(generatorVertx, config, warm, new Recorder(BUCKET_NANOS, 1, config.users(),
            (int) Math.min(1 << 20, rate * 4) + 1024, config.timeout().toNanos() + 1_000_000_000L))
            .keepingConnections();
        generator = g;
        await(g.connect(), config.timeout().plusSeconds(10), "the warm-up load did not connect");
        Future<GeneratorStats> done = g.start(System.nanoTime());
        if (aborted) {
            g.stop();
        }
        await(done, length.plus(config.timeout()).plusSeconds(30), "the warm-up load did not finish");
        return g;
    }

    /** Checks the gates; on an invalid measurement every gate fails, whatever its value: it was not measured. */
    static RunResult withGates(RunResult result, Map<String, Gate> gates) {
        List<GateResult> checked = new ArrayList<>();
        String invalid = result.generator() == null ? null : result.generator().invalidReason();
        gates.forEach((metric, gate) -> {
            GateResult g = gate.check(metric, GateMetrics.value(metric, result));
            checked.add(invalid == null ? g : g.unmeasured("invalid measurement: " + invalid));
        });
        return result.withGates(checked);
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
            w.byVersion(), lag / 1e6, lag > Generator.SATURATION_LAG_NANOS, gen.limited(),
            gen.limited() / (double) Math.max(1, gen.sent() + gen.limited())));
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
