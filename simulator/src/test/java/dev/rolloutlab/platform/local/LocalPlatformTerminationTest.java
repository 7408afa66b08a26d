package dev.rolloutlab.platform.local;

import dev.rolloutlab.engine.LoadSetup;
import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static dev.rolloutlab.platform.local.PlatformFixture.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.measure.StatusSet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic rolling-update effect, under real load: a replica that stops before its endpoint removal has reached
 * the proxy is still sent requests, which fail; a preStop at least as long as the endpoint lag hides it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalPlatformTerminationTest {
    private static final Duration LAG = Duration.ofMillis(500);
    private static final Duration LOAD = Duration.ofSeconds(3);
    private static final double RATE = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private record Outcome(Metrics metrics, double terminatingSeconds) {
    }

    /** 3 replicas under load; one second in, the set is scaled to 2. */
    private static Outcome scaleDownUnderLoad(Duration preStop) throws Exception {
        Vertx load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(3, Behavior.DEFAULT, Behavior.DEFAULT, preStop, LAG));
            URI url = await(platform.start());
            Recorder recorder = new Recorder(10_000_000L, 5, 100, (int) (RATE * 5) + 1024,
                TIMEOUT.toNanos() + 1_000_000_000L);
            Generator generator = new Generator(load, LoadSetup.defaultGenerator(url, 64, TIMEOUT, 100, "X-Version",
                StatusSet.DEFAULT, 1, 1), LoadPlan.constant(RATE, LOAD), recorder);
            f.vertx.setTimer(1000, id -> platform.scale(ReplicaSet.of("v1"), 2));
            await(generator.start(System.nanoTime()));
            recorder.finish(LOAD.toNanos());
            eventually(Duration.ofSeconds(3), () -> platform.status(ReplicaSet.of("v1")).running() == 2);
            Event terminating = f.events("replica-terminating").get(0);
            Event terminated = f.events("replica-terminated").get(0);
            assertThat(terminated.detail()).containsEntry("pod", terminating.detail().get("pod"));
            Metrics metrics = new MetricsCalculator(recorder, RunFacts.loadOnly(LOAD.toNanos(), 0.01)).metrics();
            await(platform.stop());
            return new Outcome(metrics, terminated.t() - terminating.t());
        } finally {
            await(load.close());
        }
    }

    @Test
    void scaleDownWithLagLongerThanPreStopDropsRequests() throws Exception {
        Outcome run = scaleDownUnderLoad(Duration.ZERO);
        // A third of the traffic goes to the stopped replica until its removal propagates: about 80 requests.
        assertThat(run.metrics().requests()).isEqualTo(1500);
        assertThat(run.metrics().failedRequests()).isBetween(20L, 200L);
        assertThat(run.metrics().failuresByCause().http5xx()).isEqualTo(run.metrics().failedRequests());
        assertThat(run.metrics().failuresByRoutedVersion()).as("the proxy's 502s name the replica's version as routed")
            .containsOnlyKeys("v1").containsEntry("v1", run.metrics().failedRequests());
        assertThat(run.metrics().downtimeSeconds()).isZero();
    }

    @Test
    void scaleDownWithPreStopCoveringTheLagDropsNothing() throws Exception {
        Outcome run = scaleDownUnderLoad(Duration.ofMillis(700));
        assertThat(run.metrics().requests()).isEqualTo(1500);
        assertThat(run.metrics().failedRequests()).isZero();
        assertThat(run.terminatingSeconds()).isGreaterThanOrEqualTo(0.699);
    }
}
