package dev.rolloutlab.bench;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.reports.GeneratorStats;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.traffic.StatusSet;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Finds the highest rate the open-model generator sustains against a target. */
final class GeneratorBench {
    /** One constant-rate trial and whether the generator and target kept up with it. */
    record Trial(double rate, double achieved, double errorRate, double maxLagMs, boolean saturated) {
        boolean sustained() {
            return !saturated && errorRate < 0.01 && achieved >= 0.99 * rate;
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
        Recorder recorder = new Recorder(10_000_000L, 5, 1000, (int) (rate * 4) + 1024, 3_000_000_000L);
        Generator g = new Generator(vertx, new Generator.Config(target, connections, Duration.ofSeconds(2), 1000,
            "X-Version", StatusSet.DEFAULT, 1, lanes), plan, recorder);
        GeneratorStats stats = g.start(System.nanoTime()).toCompletionStage().toCompletableFuture()
            .get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        recorder.finish(plan.duration().toNanos());
        Map<Outcome, Long> outcomes = recorder.outcomeTotals();
        long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long failed = total - outcomes.get(Outcome.SUCCESS);
        return new Trial(rate, stats.achievedRate(), total == 0 ? 1 : failed / (double) total,
            stats.maxSendLagMs(), stats.saturated());
    }
}
