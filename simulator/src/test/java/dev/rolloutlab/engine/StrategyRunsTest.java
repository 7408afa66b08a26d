package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.result.Milestones;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.reports.SummaryMarkdown;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each strategy end to end on the local platform under real load, with tolerances from the metric definitions:
 * window metrics have 10 ms bucket resolution, detection has the analysis interval's, and platform timings
 * (readiness period, endpoint lag) bound what a strategy can do.
 */
class StrategyRunsTest {
    @TempDir
    Path dir;

    private RunResult run(String yaml) throws Exception {
        return ScenarioRuns.run(dir, yaml);
    }

    @Test
    void canaryWithABadReleaseRollsBackBeforeMoreThanItsWeightSawErrors() throws Exception {
        RunResult r = run("""
            service:
              replicas: 10
              candidate: { version: v2, behavior: { errorRate: 1.0 } }
              readiness: { period: 200ms }
            load: { rate: 1000/s, duration: 14s, warmup: 1s }
            strategy:
              type: canary
              startAt: 3s
              steps: [ {setWeight: 10}, {pause: 20s} ]
              abortScaleDownDelay: 1s
            analysis:
              interval: 1s
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 2s} ]
            """);
        Metrics m = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(m.blastRadius().peakCandidateShare()).isCloseTo(0.10, within(0.03));
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.detectionSeconds()).isBetween(2.0, 4.0);
        assertThat(m.rollbackSeconds()).isLessThan(1.0);
        assertThat(m.trafficRestored()).isTrue();
        // The milestones the strategy reached are the ones its events and the metrics name (ms-rounded times).
        Milestones milestones = r.milestones();
        assertThat(milestones.start()).isEqualTo(eventTime(r, EventType.ROLLOUT_START));
        assertThat(milestones.decision()).isEqualTo(eventTime(r, EventType.ROLLBACK));
        assertThat(milestones.restored()).isCloseTo(milestones.decision() + m.rollbackSeconds(), within(0.002));
        assertThat(milestones.promoted()).isNull();
    }

    private static double eventTime(RunResult r, EventType type) {
        return r.events().stream().filter(e -> e.is(type)).findFirst().orElseThrow().t();
    }

    @Test
    void aBadCanaryIsRolledBackOnceTrafficIsRestoredThoughItsScaleDownOutlastsTheLoad() throws Exception {
        // The 30 s abortScaleDownDelay ends after the 16 s load: no rollback-complete, yet users are protected.
        RunResult r = run("""
            service:
              replicas: 10
              candidate: { version: v2, behavior: { errorRate: 1.0 } }
              readiness: { period: 200ms }
            load: { rate: 1000/s, duration: 16s, warmup: 1s }
            strategy:
              type: canary
              startAt: 3s
              steps: [ {setWeight: 10}, {pause: 20s} ]
              abortScaleDownDelay: 30s
            analysis:
              interval: 1s
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 2s} ]
            """);
        Metrics m = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(r.events()).extracting(Event::type).contains("rollback").doesNotContain("rollback-complete");
        assertThat(m.trafficRestored()).isTrue();
        // The proxy drops the weight at once: only requests already routed to v2 precede the switch.
        assertThat(m.rollbackSeconds()).isLessThan(0.1);
        assertThat(m.rollbackCompleteSeconds()).isNull();
        assertThat(m.deploymentSeconds()).isNull();
        assertThat(SummaryMarkdown.render(r)).contains("the candidate was still being scaled down when the load ended");
    }

    @Test
    void blueGreenRollsBackBySwitchingBackWithinHalfASecond() throws Exception {
        RunResult r = run("""
            service:
              replicas: 4
              candidate: { version: v2 }
              readiness: { period: 200ms }
            load: { rate: 1000/s, duration: 12s, warmup: 1s }
            strategy: { type: blue-green, startAt: 2s, previewFor: 1s, scaleDownDelay: 20s }
            rollback: { at: 7s }
            """);
        Metrics m = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(m.rollbackSeconds()).isLessThan(0.5);
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.resourceOverhead()).isCloseTo(1.0, within(0.01));
        assertThat(m.requestsByVersion()).containsKeys("v1", "v2");
    }

    @Test
    void recreateIsDownForTheCandidatesStartup() throws Exception {
        RunResult r = run("""
            service:
              replicas: 3
              candidate: { version: v2, behavior: { startupDelay: 2s } }
              readiness: { period: 100ms }
            load: { rate: 1000/s, duration: 10s, warmup: 1s }
            strategy: { type: recreate, startAt: 2s }
            """);
        assertThat(r.outcome()).isEqualTo("promoted");
        assertThat(r.metrics().downtimeSeconds()).isBetween(2.0, 3.5);
    }

    @Test
    void rollingWithPreStopCoveringTheEndpointLagDropsNothing() throws Exception {
        RunResult r = run("""
            service:
              replicas: 4
              candidate: { version: v2 }
              readiness: { period: 100ms }
              termination: { preStop: 600ms, gracePeriod: 5s }
              endpointLag: 300ms
            load: { rate: 1000/s, duration: 14s, warmup: 1s }
            strategy: { type: rolling, startAt: 2s, maxSurge: 1, maxUnavailable: 0 }
            """);
        assertThat(r.outcome()).isEqualTo("promoted");
        assertThat(r.metrics().failedRequests()).isZero();
        assertThat(r.metrics().peakReplicas()).isLessThanOrEqualTo(4 + 1);
        assertThat(r.metrics().baselineReplicas()).isEqualTo(4);
    }

    @Test
    void rollingWithEndpointLagLongerThanPreStopDropsRequests() throws Exception {
        RunResult r = run("""
            service:
              replicas: 4
              candidate: { version: v2 }
              readiness: { period: 100ms }
              termination: { preStop: 0s, gracePeriod: 5s }
              endpointLag: 500ms
            load: { rate: 1000/s, duration: 14s, warmup: 1s }
            strategy: { type: rolling, startAt: 2s, maxSurge: 1, maxUnavailable: 0 }
            """);
        Metrics m = r.metrics();
        // Each v1 replica is deleted at once (preStop 0) while the proxy still routes to it for the 500 ms endpoint
        // lag, round robin over 4 + 1 (surge) endpoints: 4 × 0.5 s × 1000/s / 5 = 400 failed requests (502s), each
        // window ± 2 requests at its edges; lag timers only fire late, here by up to 50 ms (10 requests) a window.
        // Every fifth request failing is scattered errors, not downtime.
        assertThat(r.events()).filteredOn(e -> e.type().equals("replica-terminated"))
            .filteredOn(e -> "v1".equals(e.detail().get("version"))).hasSize(4);
        assertThat(m.failedRequests()).isBetween(4 * (100L - 2), 4 * (100L + 10 + 2));
        assertThat(m.failuresByCause().http5xx()).isEqualTo(m.failedRequests());
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(r.outcome()).isEqualTo("promoted");
    }

    @Test
    void cellBasedStopsAtTheFirstFailingCell() throws Exception {
        RunResult r = run("""
            service:
              replicas: 10
              candidate: { version: v2, behavior: { errorRate: 0.5 } }
              readiness: { period: 100ms }
            load: { rate: 1000/s, duration: 14s, users: 1000, warmup: 1s }
            strategy: { type: cell-based, startAt: 2s, cells: 10, bakeTime: 5s }
            analysis:
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 2s} ]
            """);
        Metrics m = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(m.blastRadius().cellsExposed()).isEqualTo(1);
        assertThat(m.blastRadius().cellsTotal()).isEqualTo(10);
        assertThat(m.blastRadius().affectedUserShare()).isCloseTo(0.1, within(0.03));
    }

    @Test
    void aBadCanaryStillRollsBackWhenAStablePodIsKilledDuringIt() throws Exception {
        RunResult r = run("""
            service:
              replicas: 10
              candidate: { version: v2, behavior: { errorRate: 1.0 } }
              readiness: { period: 200ms }
              endpointLag: 100ms
            load: { rate: 1000/s, duration: 12s, warmup: 1s }
            strategy:
              type: canary
              startAt: 2s
              steps: [ {setWeight: 10}, {pause: 20s} ]
              abortScaleDownDelay: 1s
            analysis:
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 2s} ]
            faults:
              - { at: 3s, type: kill, target: stable, count: 1 }
            """);
        Metrics m = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(m.blastRadius().peakCandidateShare()).isCloseTo(0.10, within(0.03));
        assertThat(m.detectionSeconds()).isBetween(2.0, 4.0);
        assertThat(m.rollbackSeconds()).isLessThan(1.0);
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(r.events()).filteredOn(e -> e.type().startsWith("fault-"))
            .extracting(e -> e.type() + " " + e.detail().get("type")).containsExactly("fault-start kill", "fault-end kill");
        assertThat(r.events()).filteredOn(e -> e.type().equals("replica-terminated"))
            .anySatisfy(e -> assertThat(e.detail()).containsEntry("reason", "killed").containsEntry("version", "v1"));
    }
}
