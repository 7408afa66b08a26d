package dev.rolloutlab.platform.local;

import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.measure.StatusSet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The generator against a loopback URL at a bounded rate, on a one-loop Vert.x of its own, measured back. */
final class Load {
    static final int USERS = 100;

    record Result(Recorder recorder, Metrics metrics) {
        long sent() {
            return metrics.requests();
        }

        double errorRate() {
            return metrics.errorRate();
        }

        long timeouts() {
            return metrics.failuresByCause().timeout();
        }
    }

    private Load() {
    }

    static Result drive(URI url, double rate, Duration length, int connections) throws Exception {
        return drive(url, rate, length, connections, Duration.ofSeconds(2));
    }

    /** The whole run counts as the rollout, so that users are counted. */
    static Result drive(URI url, double rate, Duration length, int connections, Duration timeout) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            LoadPlan plan = LoadPlan.constant(rate, length);
            Recorder recorder = new Recorder(10_000_000L, 5, USERS, (int) (rate * 5) + 1024,
                timeout.toNanos() + 1_000_000_000L);
            recorder.markRolloutStart(0);
            // A fixed pool of connections that live the whole run, as these tests of the platform count them;
            // requests wait for one up to their deadline rather than count as the generator's.
            Generator g = new Generator(vertx, new Generator.Config(url, connections, connections,
                new Generator.Reuse(Integer.MAX_VALUE, Duration.ofHours(1)), timeout, timeout, USERS, "X-Version",
                StatusSet.DEFAULT, 1, 1, List.of()), plan, recorder);
            PlatformFixture.await(g.connect());
            PlatformFixture.await(g.start(System.nanoTime()));
            recorder.finish(length.toNanos());
            return new Result(recorder,
                new MetricsCalculator(recorder, RunFacts.loadOnly(length.toNanos(), 0.01)).metrics());
        } finally {
            PlatformFixture.await(vertx.close());
        }
    }
}
