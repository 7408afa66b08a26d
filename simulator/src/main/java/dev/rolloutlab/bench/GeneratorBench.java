package dev.rolloutlab.bench;

import dev.rolloutlab.engine.LoadSetup;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.measure.StatusSet;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Constant-rate trials of the open-model generator against a target, judged by one honest criterion. */
final class GeneratorBench {
    /** The request timeout of every trial; a trial lasts at least three of them. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** p99 send lag a sustained rate may have: beyond it the generator, not the target, sets the pace. */
    static final double MAX_P99_LAG_MS = 10;
    /** How much slower than unloaded the p99 latency of a sustained rate may be: more is queueing, not serving. */
    static final double MAX_LATENCY_GROWTH = 10;

    /** One constant-rate trial: what was planned, sent and answered. */
    record Trial(double rate, double achieved, double errorRate, double p99LagMs, long limited, Double p99LatencyMs) {
        /**
         * Sustained means all of: p99 send lag within {@value #MAX_P99_LAG_MS} ms, no generator-limited request,
         * at least 99 % of the plan sent, under 1 % errors, and a p99 latency within {@value #MAX_LATENCY_GROWTH}
         * times {@code unloadedP99Ms}: a rate reached only by queueing is not sustained.
         */
        boolean sustained(double unloadedP99Ms) {
            return p99LagMs <= MAX_P99_LAG_MS && limited == 0 && achieved >= 0.99 * rate && errorRate < 0.01
                && p99LatencyMs != null && p99LatencyMs <= MAX_LATENCY_GROWTH * unloadedP99Ms;
        }

        /** Why the trial is not sustained, or "ok". */
        String verdict(double unloadedP99Ms) {
            if (sustained(unloadedP99Ms)) {
                return "ok";
            }
            StringBuilder why = new StringBuilder("not sustained:");
            if (p99LagMs > MAX_P99_LAG_MS) {
                why.append(" send lag");
            }
            if (limited > 0) {
                why.append(" generator-limited");
            }
            if (achieved < 0.99 * rate) {
                why.append(" under 99 % sent");
            }
            if (errorRate >= 0.01) {
                why.append(" errors");
            }
            if (p99LatencyMs == null || p99LatencyMs > MAX_LATENCY_GROWTH * unloadedP99Ms) {
                why.append(" latency (queueing)");
            }
            return why.toString();
        }
    }

    private GeneratorBench() {
    }

    /** A trial: one second of unrecorded warm-up at the trial's rate, as {@code run} does, then the measurement. */
    static Trial trial(Vertx vertx, URI target, double rate, int connections, int lanes, Duration duration)
        throws Exception {
        drive(vertx, target, rate, connections, lanes, Duration.ofSeconds(1));
        return drive(vertx, target, rate, connections, lanes, duration);
    }

    private static Trial drive(Vertx vertx, URI target, double rate, int connections, int lanes, Duration duration)
        throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, duration);
        Recorder recorder = LoadSetup.recorder(plan, TIMEOUT, 1000);
        Generator g = new Generator(vertx, LoadSetup.defaultGenerator(target, connections, TIMEOUT, 1000, "X-Version",
            StatusSet.DEFAULT, 1, lanes), plan, recorder);
        GeneratorStats stats = g.start(System.nanoTime()).toCompletionStage().toCompletableFuture()
            .get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        recorder.finish(plan.duration().toNanos());
        Map<Outcome, Long> outcomes = recorder.outcomeTotals();
        long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long failed = total - outcomes.get(Outcome.SUCCESS);
        var latency = recorder.latency();
        return new Trial(rate, stats.achievedRate(), total == 0 ? 1 : failed / (double) total, stats.p99SendLagMs(),
            stats.droppedRequests(), latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(99) / 1000.0);
    }
}
