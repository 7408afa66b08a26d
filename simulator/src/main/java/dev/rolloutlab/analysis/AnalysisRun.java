package dev.rolloutlab.analysis;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.platform.ReplicaSetStatus;
import dev.rolloutlab.platform.ReplicaStatuses;
import dev.rolloutlab.scenario.Analysis;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Rule;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The automatic rollback check of one rollout, like an Argo Rollouts AnalysisRun or Flagger's metric checks: every
 * {@code interval} on the clock it measures each rule of the scenario's {@link Analysis} from the traffic the
 * recorder saw and from the replica sets' status, and reports the first rule that breaches, once, to the callback
 * (which decides the rollback); the analysis then ends.
 *
 * <h2>What a rule measures at evaluation time t</h2>
 * A rule's {@code scope} picks requests by served version ({@code candidate}, {@code stable}, or {@code all}: every
 * request, those that reached no version included) and replicas by the sets the scope function gives.
 * <ul>
 * <li>{@code errorRate}: failed / total of the scope's requests with intended send time in [t − interval, t) that
 *     were recorded by t. Only failures that complete within an interval of being sent count (refused, reset, 5xx);
 *     a timeout longer than the interval is recorded after its window was evaluated, so a hanging release shows in
 *     {@code throughputRatio} instead. Requests still in flight at t are missing, which favours fast outcomes.</li>
 * <li>{@code latencyP50/P95/P99}, in ms: of the scope's successful requests completed in the last interval
 *     ({@link Recorder#takeLatency}).</li>
 * <li>{@code restarts}: the increase of {@link ReplicaSetStatus#restarts()}, summed over the scope's sets, since the
 *     sample taken at the latest evaluation at or before t − {@code within} (or since {@link #start()}, the first
 *     sample, when {@code within} is unset or has not passed yet): one interval's resolution, and a history of
 *     within / interval samples. {@code max} breaches above: the seed's "3 restarts in 5 min" is {@code max: 2}.</li>
 * <li>{@code healthCheckFailures}: (running − ready) / running over the scope's sets. Replicas still starting count
 *     as not ready, so give the rule a {@code for} longer than the start-up time.</li>
 * <li>{@code throughputRatio}: successful requests of the scope per second over [t − max(interval, for), t), divided
 *     by the pre-rollout baseline ({@link #baselineThroughput}). In-flight requests are missing here too, by about
 *     latency / window; a long {@code for} keeps that small.</li>
 * </ul>
 * A window without requests of the scope, an empty latency interval, no running replicas or no baseline is
 * <em>no data</em>: never a breach, and it restarts {@code for}, so a candidate without traffic yet is not judged.
 *
 * <h2>{@code for}</h2>
 * Let T1 be the first evaluation of an unbroken series at which the rule's condition held (a false or no-data
 * evaluation ends a series). The rule breaches at the first evaluation t of the series with t − T1 ≥ {@code for},
 * as a Prometheus alert's {@code for} fires, so the bad state has lasted at least {@code for} when it breaches:
 * "errorRate > 5% for 2s" at 1s intervals sees a candidate failing from f at T1 ∈ (f, f + 1s] and breaches at
 * T1 + 2s, 2–3 s after its first failure. Without {@code for} the first evaluation that sees the condition breaches:
 * one interval, the evaluation's own window.
 *
 * <p>Events: {@code analysis} {rule, state (ok | failing | no-data), value} when a rule's state changes (the first
 * evaluation included), and {@code analysis-failed} {rule, value, heldSince (in seconds: {@link #breachedSince()})} at
 * the breach. Runs on the clock's thread.
 */
public final class AnalysisRun {
    /** Values in reasons and events: three significant digits. */
    private static final MathContext DIGITS = new MathContext(3);

    private final long interval;
    private final Clock clock;
    private final EventLog events;
    private final Recorder recorder;
    private final ReplicaStatuses replicas;
    private final String stable;
    private final String candidate;
    private final Function<String, List<ReplicaSet>> replicaSets;
    private final double baseline;
    private final Consumer<String> onBreach;
    private final List<Check> checks = new ArrayList<>();
    /** By version id: latency of the last interval, reused every interval. */
    private final List<Histogram> latencies = new ArrayList<>();
    private final Histogram allLatencies = new Histogram(3);
    private boolean started;
    private long startedAt;
    private Clock.Cancellable next;
    private long nextAt;
    private Long breachedSince;

    /** For rollouts with one set per version ({@code ReplicaSet.of(version)}); scope {@code all} is both sets. */
    public AnalysisRun(Analysis analysis, Clock clock, EventLog events, Recorder recorder, ReplicaStatuses replicas,
                       String stable, String candidate, double baselineThroughput, Consumer<String> onBreach) {
        this(analysis, clock, events, recorder, replicas, stable, candidate,
            scope -> switch (scope) {
                case "stable" -> List.of(ReplicaSet.of(stable));
                case "candidate" -> List.of(ReplicaSet.of(candidate));
                default -> List.of(ReplicaSet.of(stable), ReplicaSet.of(candidate));
            }, baselineThroughput, onBreach);
    }

    /**
     * @param replicaSets        scope ({@code candidate | stable | all}) to the replica sets restarts and health checks
     *                           are read from, asked at every evaluation (cell-based passes per-cell sets)
     * @param baselineThroughput successful requests per second before the rollout, for {@code throughputRatio}
     * @param onBreach           called once, with a reason such as "errorRate of candidate 0.52 > 0.05 for 2s"
     */
    public AnalysisRun(Analysis analysis, Clock clock, EventLog events, Recorder recorder, ReplicaStatuses replicas,
                       String stable, String candidate, Function<String, List<ReplicaSet>> replicaSets,
                       double baselineThroughput, Consumer<String> onBreach) {
        if (analysis.interval().isNegative() || analysis.interval().isZero()) {
            throw new IllegalArgumentException("analysis interval must be positive, got " + analysis.interval());
        }
        this.interval = analysis.interval().toNanos();
        this.clock = clock;
        this.events = events;
        this.recorder = recorder;
        this.replicas = replicas;
        this.stable = stable;
        this.candidate = candidate;
        this.replicaSets = replicaSets;
        this.baseline = baselineThroughput;
        this.onBreach = onBreach;
        analysis.rules().forEach(r -> checks.add(new Check(r)));
    }

    /**
     * Successful requests per second with intended times in [fromNanos, toNanos), e.g. from load start to rollout
     * start: the baseline of {@code throughputRatio}; 0 for an empty span.
     */
    public static double baselineThroughput(Recorder recorder, long fromNanos, long toNanos) {
        if (toNanos <= fromNanos) {
            return 0;
        }
        Recorder.WindowCounts w = recorder.window(fromNanos, toNanos);
        return (w.total() - w.failed()) / ((toNanos - fromNanos) / 1e9);
    }

    /** Takes the first samples now and evaluates every interval from now on, until a breach or {@link #stop()}. */
    public void start() {
        if (started) {
            throw new IllegalStateException("an analysis runs once");
        }
        started = true;
        nextAt = clock.nanos();
        startedAt = nextAt;
        takeLatencies();
        checks.forEach(c -> c.begin(nextAt));
        scheduleNext();
    }

    /** Cancels the evaluations still to come; the callback is not called after this. */
    public void stop() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private void scheduleNext() {
        nextAt += interval;
        next = clock.at(nextAt, this::evaluate);
    }

    private void evaluate() {
        // The scheduled time, not the timer's actual firing: jitter must not move a `for` across an interval.
        long t = nextAt;
        takeLatencies();
        for (Check c : checks) {
            if (c.breaches(t)) {
                next = null;
                breachedSince = c.firstWindow;
                events.add(EventType.ANALYSIS_FAILED, "rule", c.describe(), "value", round(c.value),
                    "heldSince", Math.round(breachedSince / 1e6) / 1e3);
                onBreach.accept(c.reason());
                return;
            }
        }
        scheduleNext();
    }

    /**
     * After a breach: the start of the first window in which the breached rule's condition held (the window its first
     * failing evaluation of the unbroken series measured, never before {@link #start()}), in nanoseconds on the
     * clock: the first bad observation of the rule, from which {@code detectionSeconds} counts. Null before a breach.
     */
    public Long breachedSince() {
        return breachedSince;
    }

    /** Takes every version's interval latency, whichever rules need it, so each interval is taken exactly once. */
    private void takeLatencies() {
        int versions = recorder.versions().size();
        for (int id = 0; id < versions; id++) {
            if (id == latencies.size()) {
                latencies.add(new Histogram(3));
            }
            recorder.takeLatency(id, latencies.get(id));
        }
    }

    private enum State { OK, FAILING, NO_DATA }

    private record Sample(long nanos, long restarts) {
    }

    /** One rule's measurement and its progress towards a breach. */
    private final class Check {
        private final Rule rule;
        private final long hold;
        private final String version;
        private State state;
        private long since = -1;
        /** The start of the window measured at {@code since}. */
        private long firstWindow;
        private double value;
        /** restarts: the sample counted from, and the later ones within {@code within}. */
        private Sample base;
        private final ArrayDeque<Sample> recent = new ArrayDeque<>();

        Check(Rule rule) {
            if (!Rule.METRICS.contains(rule.metric()) || !Rule.SCOPES.contains(rule.scope())
                || (rule.max() == null) == (rule.min() == null)) {
                throw new IllegalArgumentException("not a valid analysis rule: " + rule);
            }
            this.rule = rule;
            this.hold = rule.forDuration() == null ? 0 : rule.forDuration().toNanos();
            this.version = switch (rule.scope()) {
                case "stable" -> stable;
                case "candidate" -> candidate;
                default -> null;
            };
        }

        void begin(long t) {
            if (rule.metric().equals("restarts")) {
                base = new Sample(t, restarts());
            }
        }

        boolean breaches(long t) {
            value = measure(t);
            boolean holds = !Double.isNaN(value) && (rule.max() != null ? value > rule.max() : value < rule.min());
            if (!holds) {
                since = -1;
            } else if (since < 0) {
                since = t;
                firstWindow = Math.max(startedAt, t - window());
            }
            if (holds && t - since >= hold) {
                return true;
            }
            State now = Double.isNaN(value) ? State.NO_DATA : holds ? State.FAILING : State.OK;
            if (now != state) {
                state = now;
                events.add(EventType.ANALYSIS, "rule", describe(), "state", now.name().toLowerCase().replace('_', '-'),
                    "value", Double.isNaN(value) ? null : round(value));
            }
            return false;
        }

        /**
         * How far back the evaluation at t looks: throughputRatio over max(interval, for); the request metrics over
         * the interval; restarts and health checks are states sampled at t that changed since the previous evaluation.
         */
        private long window() {
            return rule.metric().equals("throughputRatio") ? Math.max(interval, hold) : interval;
        }

        /** The rule's value at t in its unit, NaN for no data. */
        private double measure(long t) {
            return switch (rule.metric()) {
                case "errorRate" -> errorRate(t);
                case "latencyP50" -> latency(50);
                case "latencyP95" -> latency(95);
                case "latencyP99" -> latency(99);
                case "restarts" -> restartsWithin(t);
                case "healthCheckFailures" -> healthCheckFailures();
                default -> throughputRatio(t);
            };
        }

        /** Failures of the scope's version include those a proxy made itself on the way to it (its routed version). */
        private double errorRate(long t) {
            Recorder.WindowCounts w = recorder.window(Math.max(0, t - interval), t);
            long routed = version == null ? 0 : w.routedFailedByVersion().getOrDefault(version, 0L);
            long total = inScope(w.byVersion(), w.total()) + routed;
            return total == 0 ? Double.NaN : (inScope(w.failedByVersion(), w.failed()) + routed) / (double) total;
        }

        private double throughputRatio(long t) {
            long from = Math.max(0, t - Math.max(interval, hold));
            if (!(baseline > 0) || t <= from) {
                return Double.NaN;
            }
            Recorder.WindowCounts w = recorder.window(from, t);
            long succeeded = inScope(w.byVersion(), w.total()) - inScope(w.failedByVersion(), w.failed());
            return succeeded / ((t - from) / 1e9) / baseline;
        }

        private long inScope(Map<String, Long> byVersion, long all) {
            return version == null ? all : byVersion.getOrDefault(version, 0L);
        }

        private double latency(double percentile) {
            Histogram h;
            if (version == null) {
                allLatencies.reset();
                latencies.forEach(allLatencies::add);
                h = allLatencies;
            } else {
                int id = recorder.versionId(version);
                h = id >= 0 && id < latencies.size() ? latencies.get(id) : null;
            }
            return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }

        private double restartsWithin(long t) {
            long now = restarts();
            if (rule.within() != null) {
                recent.addLast(new Sample(t, now));
                while (!recent.isEmpty() && recent.peekFirst().nanos() <= t - rule.within().toNanos()) {
                    base = recent.pollFirst();
                }
            }
            return now - base.restarts();
        }

        private long restarts() {
            long n = 0;
            for (ReplicaSet s : replicaSets.apply(rule.scope())) {
                n += replicas.status(s).restarts();
            }
            return n;
        }

        private double healthCheckFailures() {
            int running = 0;
            int ready = 0;
            for (ReplicaSet s : replicaSets.apply(rule.scope())) {
                ReplicaSetStatus status = replicas.status(s);
                running += status.running();
                ready += status.ready();
            }
            return running == 0 ? Double.NaN : (running - ready) / (double) running;
        }

        /** e.g. "errorRate of candidate > 0.05 for 2s" */
        String describe() {
            return rule.metric() + " of " + rule.scope() + " " + condition();
        }

        /** e.g. "errorRate of candidate 0.52 > 0.05 for 2s" */
        String reason() {
            return rule.metric() + " of " + rule.scope() + " " + format(value) + unit() + " " + condition();
        }

        private String condition() {
            return (rule.max() != null ? "> " + format(rule.max()) : "< " + format(rule.min())) + unit()
                + suffix(" for ", rule.forDuration()) + suffix(" within ", rule.within());
        }

        private String unit() {
            return rule.metric().startsWith("latency") ? "ms" : "";
        }
    }

    private static String suffix(String word, Duration d) {
        return d == null ? "" : word + Durations.format(d);
    }

    private static double round(double v) {
        return new BigDecimal(v).round(DIGITS).doubleValue();
    }

    private static String format(double v) {
        return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}
