package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static dev.rolloutlab.platform.local.PlatformFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.reports.Metrics;
import dev.rolloutlab.traffic.Generator;
import dev.rolloutlab.traffic.LoadPlan;
import dev.rolloutlab.traffic.StatusSet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault type injected under generator load (seconds, bounded rate, loopback), measured back as users see it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalPlatformFaultTest {
    private static final int USERS = 100;
    private static final ReplicaSet V1 = ReplicaSet.of("v1");

    private Vertx load;

    @BeforeEach
    void startLoad() {
        load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterEach
    void stopLoad() throws Exception {
        await(load.close());
    }

    private static Fault fault(FaultType type, Target target, Duration duration, Integer count, Double share,
                               Duration delay) {
        return new Fault(Duration.ZERO, type, target, duration, count, share, delay, null);
    }

    /** Load at {@code rate} for {@code length}; the whole run counts as the rollout, so users are counted. */
    private Recorder drive(URI url, double rate, Duration length, Duration timeout) throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, length);
        Recorder recorder = new Recorder(10_000_000L, 5, USERS, (int) (rate * 5) + 1024,
            timeout.toNanos() + 1_000_000_000L);
        recorder.markRolloutStart(0);
        Generator g = new Generator(load, new Generator.Config(url, 32, timeout, USERS, "X-Version",
            StatusSet.DEFAULT, 1, 1), plan, recorder);
        await(g.start(System.nanoTime()));
        recorder.finish(length.toNanos());
        return recorder;
    }

    private static Metrics metrics(Recorder recorder, Duration length) {
        return new MetricsCalculator(recorder, RunFacts.loadOnly(length.toNanos(), 0.01)).metrics();
    }

    @Test
    void killingOneOfTenReplicasUnderLoadFailsOnlyInFlightRequestsAndTheLag() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(10, dev.rolloutlab.demo.Behavior.DEFAULT,
                dev.rolloutlab.demo.Behavior.DEFAULT, Duration.ZERO, Duration.ofMillis(50)));
            URI url = await(platform.start());
            Fault kill = fault(FaultType.KILL, Target.STABLE, null, 1, null, null);
            f.clock.schedule(Duration.ofSeconds(1), () -> platform.start(kill));
            Duration length = Duration.ofSeconds(3);
            Metrics m = metrics(drive(url, 500, length, Duration.ofSeconds(1)), length);

            assertThat(f.events("replica-terminated")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("pod", "v1-1"));
            // 50 ms of lag at 500 rps is 25 requests, a tenth of them to the killed replica; plus those in flight.
            assertThat(m.failedRequests()).isBetween(0L, 15L);
            assertThat(m.downtimeSeconds()).isZero();
            assertThat(m.failuresByCause().timeout()).isZero();
            eventually(Duration.ofSeconds(3), () -> platform.status(V1).ready() == 10);
            await(platform.stop());
        }
    }

    @Test
    void latencyOnTheCandidateAddsItsDelayToTheCandidatesRequestsOnly() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            URI url = await(platform.start());
            platform.scale(ReplicaSet.of("v2"), 2);
            eventually(Duration.ofSeconds(3), () -> platform.status(ReplicaSet.of("v2")).ready() == 2);
            Fault latency = fault(FaultType.LATENCY, Target.CANDIDATE, Duration.ofSeconds(10), null, null,
                Duration.ofMillis(100));
            platform.start(latency);
            Recorder recorder = drive(url, 200, Duration.ofSeconds(3), Duration.ofSeconds(2));
            platform.end(latency);

            double stable = p50Millis(recorder, "v1");
            assertThat(p50Millis(recorder, "v2") - stable).isCloseTo(100, within(10.0));
            assertThat(stable).isLessThan(10);
            assertThat(f.events("fault-end")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("type", "latency"));
            await(platform.stop());
        }
    }

    private static double p50Millis(Recorder recorder, String version) {
        Histogram h = new Histogram(3);
        recorder.takeLatency(recorder.versionId(version), h);
        return h.getValueAtPercentile(50) / 1000.0;
    }

    @Test
    void errorsOnAThirdOfRequestsShowAsThatErrorRateBlamedOnTheReplicas() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(3));
            URI url = await(platform.start());
            platform.start(fault(FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 0.3, null));
            Duration length = Duration.ofSeconds(3);
            Metrics m = metrics(drive(url, 1000, length, Duration.ofSeconds(2)), length);

            assertThat(m.errorRate()).isCloseTo(0.30, within(0.03));
            assertThat(m.failuresByCause().http5xx()).isEqualTo(m.failedRequests());
            assertThat(m.requestsByVersion()).containsOnlyKeys("v1");
            await(platform.stop());
        }
    }

    @Test
    void aPartitionedCellFailsExactlyTheUsersOfThatCell() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx, service(10), f.clock, f.events, 16, 5);
            URI url = await(platform.start());
            Fault partition = fault(FaultType.PARTITION, Target.cell(3), Duration.ofSeconds(10), null, null, null);
            platform.start(partition);
            Duration length = Duration.ofSeconds(2);
            Recorder recorder = drive(url, 500, length, Duration.ofSeconds(2));
            Metrics m = metrics(recorder, length);

            // Users go to cell id mod 5 + 1: the 20 users with id mod 5 == 2 and every one of their requests.
            assertThat(recorder.usersInRollout()).isEqualTo(USERS);
            assertThat(recorder.usersFailedInRollout()).isEqualTo(USERS / 5);
            assertThat(m.errorRate()).isCloseTo(0.2, within(0.05));
            assertThat(m.failuresByCause().http5xx()).isEqualTo(m.failedRequests());
            assertThat(f.events("fault-start")).singleElement().satisfies(e -> assertThat(e.detail())
                .containsEntry("target", "cell-3").containsEntry("pods", java.util.List.of("v1-c3-5", "v1-c3-6")));
            platform.endAll();
            assertThat(f.get(url, "2", null).status()).isEqualTo(200);
            await(platform.stop());
        }
    }

    @Test
    void aPausedReplicaShowsAsTimeoutsNotRefusalsAndComesBack() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            URI url = await(platform.start());
            Fault pause = fault(FaultType.PAUSE, Target.STABLE, Duration.ofSeconds(1), 1, null, null);
            f.clock.schedule(Duration.ofMillis(500), () -> platform.start(pause));
            f.clock.schedule(Duration.ofMillis(1500), () -> platform.end(pause));
            Duration length = Duration.ofSeconds(3);
            Metrics m = metrics(drive(url, 200, length, Duration.ofMillis(300)), length);

            assertThat(m.failuresByCause().timeout()).isPositive();
            assertThat(m.failuresByCause().timeout()).isEqualTo(m.failedRequests());
            assertThat(m.failuresByCause().refused()).isZero();
            assertThat(f.events("replica-not-ready")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("pod", "v1-1"));
            eventually(Duration.ofSeconds(2), () -> platform.status(V1).ready() == 2);
            await(platform.stop());
        }
    }

    @Test
    void aCrashLoopRestartsWithBackOffForItsDurationAndRecoversAfter() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx, service(2), f.clock, f.events, 16, 1,
                new CrashLoopBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
            await(platform.start());
            Fault loop = fault(FaultType.CRASH_LOOP, Target.ALL, Duration.ofSeconds(1), 1, null, null);
            platform.start(loop);
            Thread.sleep(1000);
            platform.end(loop);

            // Restarts after 50, 100, 200, 200... ms: five within the second, each crashing at once.
            int during = platform.status(V1).restarts();
            assertThat(during).isBetween(4, 7);
            assertThat(f.events("replica-crashed")).allSatisfy(e -> assertThat(e.detail())
                .containsEntry("pod", "v1-1"));
            eventually(Duration.ofSeconds(2), () -> platform.status(V1).ready() == 2);
            int after = platform.status(V1).restarts();
            assertThat(after).isLessThanOrEqualTo(during + 1);
            Thread.sleep(300);
            assertThat(platform.status(V1).restarts()).isEqualTo(after);
            assertThat(f.events("replica-crashed")).hasSize(after);
            await(platform.stop());
        }
    }

    @Test
    void lossResetsItsShareOfRequests() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            URI url = await(platform.start());
            platform.start(fault(FaultType.LOSS, Target.STABLE, Duration.ofSeconds(10), null, 0.5, null));
            Duration length = Duration.ofSeconds(2);
            Metrics m = metrics(drive(url, 300, length, Duration.ofSeconds(1)), length);

            assertThat(m.failuresByCause().reset()).isEqualTo(m.failedRequests());
            assertThat(m.errorRate()).isCloseTo(0.5, within(0.08));
            await(platform.stop());
        }
    }

    @Test
    void cpuStressRunsABusyThreadPerReplicaUpToTheCoresAndStopsThemAtTheEnd() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            await(platform.start());
            Fault stress = fault(FaultType.CPU_STRESS, Target.ALL, Duration.ofSeconds(10), null, null, null);
            platform.start(stress);
            assertThat(stressThreads()).isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
            platform.end(stress);
            assertThat(stressThreads()).isZero();
            assertThat(f.events("fault-end")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("type", "cpu-stress"));
            await(platform.stop());
        }
    }

    private static long stressThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith(LocalPlatform.STRESS_THREAD)).count();
    }
}
