package dev.rolloutlab.platform.local;

import static dev.rolloutlab.platform.local.PlatformFixture.await;
import static dev.rolloutlab.platform.local.PlatformFixture.eventually;
import static dev.rolloutlab.platform.local.PlatformFixture.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.chaos.Fault;
import dev.rolloutlab.chaos.FaultType;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.chaos.Target;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.result.Event;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault type injected under generator load (seconds, bounded rate, loopback), measured back as users see it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalPlatformFaultTest {
    private static final int USERS = Load.USERS;
    private static final ReplicaSet V1 = ReplicaSet.of("v1");

    private static Fault fault(FaultType type, Target target, Duration duration, Integer count, Double share,
                               Duration delay) {
        return new Fault(Duration.ZERO, type, target, duration, count, share, delay, null);
    }

    /** Load at {@code rate} for {@code length} with 32 connections. */
    private static Recorder drive(URI url, double rate, Duration length, Duration timeout) throws Exception {
        return Load.drive(url, rate, length, 32, timeout).recorder();
    }

    private static Metrics metrics(Recorder recorder, Duration length) {
        return new MetricsCalculator(recorder, RunFacts.loadOnly(length.toNanos(), 0.01)).metrics();
    }

    /**
     * A kill resets the killed replica's connections, so every request in flight on it fails (the proxy answers 502),
     * and so does every request the proxy still routes to it until the endpoint removal has propagated. With two
     * replicas served in turn at a constant rate, both counts follow from the rate, the service time and the lag.
     */
    @Test
    void killingAReplicaUnderLoadFailsItsRequestsInFlightAndThoseRoutedToItDuringTheLag() throws Exception {
        Duration serviceTime = Duration.ofMillis(100);
        Duration lag = Duration.ofMillis(200);
        double rate = 200;
        try (PlatformFixture f = new PlatformFixture()) {
            Behavior slow = new Behavior(0, serviceTime, null, null);
            LocalPlatform platform = f.platform(service(2, slow, Behavior.DEFAULT, Duration.ZERO, lag));
            URI url = await(platform.start());
            Fault kill = fault(FaultType.KILL, Target.STABLE, null, 1, null, null);
            f.clock.schedule(Duration.ofSeconds(1), () -> platform.faults().start(kill));
            Duration length = Duration.ofSeconds(3);
            Metrics m = metrics(drive(url, rate, length, Duration.ofSeconds(1)), length);

            assertThat(f.events("replica-terminated")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("pod", "v1-1"));
            double inFlight = rate / 2 * serviceTime.toMillis() / 1000;
            double routedDuringLag = rate / 2 * lag.toMillis() / 1000;
            // Rounding of the turn at the kill can spare one request in flight; a late lag timer adds a few routed.
            assertThat(m.failedRequests()).isBetween((long) inFlight - 1, (long) (2 * (inFlight + routedDuringLag)));
            assertThat(m.failuresByCause().http5xx()).isEqualTo(m.failedRequests());
            assertThat(m.downtimeSeconds()).isZero();
            eventually(Duration.ofSeconds(3), () -> platform.status(V1).ready() == 2);
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
            platform.faults().start(latency);
            Recorder recorder = drive(url, 200, Duration.ofSeconds(3), Duration.ofSeconds(2));
            platform.faults().end(latency);

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
            platform.faults().start(fault(FaultType.ERRORS, Target.ALL, Duration.ofSeconds(10), null, 0.3, null));
            Duration length = Duration.ofSeconds(3);
            Metrics m = metrics(drive(url, 1000, length, Duration.ofSeconds(2)), length);

            assertThat(m.errorRate()).isCloseTo(0.30, within(0.03));
            assertThat(m.failuresByCause().http5xx()).isEqualTo(m.failedRequests());
            // The proxy answers the injected 503s itself: served by no version, routed to v1.
            assertThat(m.requestsByVersion()).containsOnlyKeys("v1", "unknown");
            assertThat(m.failuresByRoutedVersion()).containsExactly(java.util.Map.entry("v1", m.failedRequests()));
            await(platform.stop());
        }
    }

    @Test
    void aPartitionedCellFailsExactlyTheUsersOfThatCell() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = new LocalPlatform(f.vertx, service(10), f.clock, f.events, 16, 5);
            URI url = await(platform.start());
            Fault partition = fault(FaultType.PARTITION, Target.cell(3), Duration.ofSeconds(10), null, null, null);
            platform.faults().start(partition);
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
            platform.faults().endAll();
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
            f.clock.schedule(Duration.ofMillis(500), () -> platform.faults().start(pause));
            f.clock.schedule(Duration.ofMillis(1500), () -> platform.faults().end(pause));
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

    /**
     * On a stepped clock a crash loop follows its back-off exactly: the replica crashes at once and restarts after
     * each delay of the definition (crashing again while the fault lasts); after the end it restarts once more and
     * stays up.
     */
    @Test
    void aCrashLoopRestartsAfterEachBackOffAndRecoversAfterItsEnd() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            ManualClock clock = new ManualClock();
            EventLog events = new EventLog(clock);
            CrashLoopBackoff backoff = new CrashLoopBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
            LocalPlatform platform = new LocalPlatform(f.vertx, service(2), clock, events, 16, 1, backoff);
            Future<URI> started = platform.start();
            eventually(Duration.ofSeconds(5), () -> {
                clock.advance(PlatformFixture.PERIOD);
                return started.succeeded();
            });
            Duration window = Duration.ofSeconds(1);
            List<Double> due = new ArrayList<>();
            long at = clock.nanos();
            while ((at += backoff.delay(due.size()).toNanos()) <= clock.nanos() + window.toNanos()) {
                due.add(at / 1e9);
            }

            platform.faults().start(fault(FaultType.CRASH_LOOP, Target.ALL, window, 1, null, null));
            clock.advance(window);
            platform.faults().endAll();

            assertThat(due).hasSize(6); // 50, 150, 350, 550, 750, 950 ms
            assertThat(times(events, "replica-restarted")).containsExactlyElementsOf(due);
            assertThat(platform.status(V1).restarts()).isEqualTo(due.size());
            eventually(Duration.ofSeconds(5), () -> {
                clock.advance(PlatformFixture.PERIOD);
                return platform.status(V1).ready() == 2;
            });
            assertThat(platform.status(V1).restarts()).isEqualTo(due.size() + 1);
            clock.advance(Duration.ofSeconds(10));
            assertThat(platform.status(V1).restarts()).isEqualTo(due.size() + 1);
            assertThat(times(events, "replica-crashed")).hasSize(due.size() + 1);
            assertThat(events.events()).filteredOn(e -> e.type().startsWith("replica-") && e.detail().containsKey("pod"))
                .filteredOn(e -> e.type().equals("replica-crashed")).allSatisfy(e -> assertThat(e.detail())
                    .containsEntry("pod", "v1-1"));
            await(platform.stop());
        }
    }

    private static List<Double> times(EventLog events, String type) {
        return events.events().stream().filter(e -> e.type().equals(type)).map(Event::t).toList();
    }

    @Test
    void lossResetsItsShareOfRequests() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(2));
            URI url = await(platform.start());
            platform.faults().start(fault(FaultType.LOSS, Target.STABLE, Duration.ofSeconds(10), null, 0.5, null));
            Duration length = Duration.ofSeconds(2);
            Metrics m = metrics(drive(url, 300, length, Duration.ofSeconds(1)), length);

            assertThat(m.failuresByCause().reset()).isEqualTo(m.failedRequests());
            assertThat(m.errorRate()).isCloseTo(0.5, within(0.08));
            await(platform.stop());
        }
    }

    /**
     * A stressed replica answers late by what is left of the stressor's share of each CPU period; the other replica,
     * reached through the same proxy at the same time, is not slowed, and the stressed one is fast again after the end.
     */
    @Test
    void cpuStressSlowsItsTargetOnlyNotAnotherReplicaNorTheProxy() throws Exception {
        try (PlatformFixture f = new PlatformFixture()) {
            LocalPlatform platform = f.platform(service(1));
            URI url = await(platform.start());
            platform.scale(ReplicaSet.of("v2"), 1);
            eventually(Duration.ofSeconds(3), () -> platform.status(ReplicaSet.of("v2")).ready() == 1);
            Fault stress = fault(FaultType.CPU_STRESS, Target.CANDIDATE, Duration.ofSeconds(10), null, null, null);
            platform.faults().start(stress);
            Recorder during = drive(url, 200, Duration.ofSeconds(2), Duration.ofSeconds(2));
            platform.faults().end(stress);
            Recorder after = drive(url, 200, Duration.ofSeconds(1), Duration.ofSeconds(2));

            // A request waits max(0, share * period - phase) for a uniform phase: P(wait <= x) = (1 - share) + x /
            // period, a median of (share - 1/2) * period (30 ms).
            double median = (LocalFaultInjector.CPU_STRESS_SHARE - 0.5) * DemoService.CPU_PERIOD.toMillis();
            assertThat(p50Millis(during, "v2")).isCloseTo(median, within(10.0));
            assertThat(p50Millis(during, "v1")).isLessThan(10);
            assertThat(p50Millis(after, "v2")).isLessThan(10);
            assertThat(f.events("fault-start")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("pods", List.of("v2-2")));
            await(platform.stop());
        }
    }
}
