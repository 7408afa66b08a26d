package dev.rolloutlab.metrics;

import static dev.rolloutlab.metrics.SyntheticRun.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.reports.Metrics;
import dev.rolloutlab.reports.TimelinePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowMetricsTest {
    /** Window metrics have bucket resolution: 10 ms. */
    private static final double BUCKET = 0.01;

    private static RunFacts rollout(double end, Double start, Double rolloutEnd, Double decision, Double complete) {
        return new RunFacts(ns(end), 0.01, "v1", "v2", start == null ? null : ns(start),
            rolloutEnd == null ? null : ns(rolloutEnd), decision == null ? null : ns(decision),
            complete == null ? null : ns(complete), 11, 10, null, null);
    }

    /** Every tenth request goes to v2 while {@code canary} holds, and v2 answers 500. */
    private static String canaryVersion(double t, double from, double to) {
        return t >= from && t < to && Math.round(t * 1000) % 10 == 0 ? "v2" : "v1";
    }

    @Test
    void degradedSecondsCountAlignedSecondsAboveTheSlo() {
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 8,
            t -> (t >= 2 && t < 3 || t >= 5 && t < 6) && Math.round(t * 1000) % 20 == 0 ? Outcome.HTTP5XX
                : Outcome.SUCCESS, t -> "v1");
        run.recorder.finish(ns(8));
        Metrics m = new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(8), 0.01)).metrics();
        assertThat(m.errorRate()).isCloseTo(100 / 8000.0, within(1e-12));
        assertThat(m.degradedSeconds()).isEqualTo(2);
        assertThat(m.downtimeSeconds()).isZero();
    }

    @Test
    void canaryRolledBackMeasuresRestorationDetectionAndBlastRadius() {
        // Canary at 10 % from 10 s, v2 fails every request, decision at 13 s, weight back to 0 at 13.2 s.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(10));
        run.recorder.markRolloutEnd(ns(14));
        run.send(0, 20, t -> "v2".equals(canaryVersion(t, 10, 13.2)) ? Outcome.HTTP5XX : Outcome.SUCCESS,
            t -> canaryVersion(t, 10, 13.2));
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 10.0, 14.0, 13.0, 14.0)).metrics();

        // The window [13.1, 14.1) holds 10 failures in 1000 (99 % good): restored 0.1 s before the switch at 13.2.
        assertThat(m.rollbackSeconds()).isCloseTo(0.1, within(BUCKET));
        assertThat(m.trafficRestored()).isTrue();
        assertThat(m.rollbackCompleteSeconds()).isCloseTo(1.0, within(1e-9));
        assertThat(m.detectionSeconds()).isCloseTo(3.0, within(1e-9));
        assertThat(m.deploymentSeconds()).isCloseTo(4.0, within(1e-9));
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.blastRadius().peakCandidateShare()).isCloseTo(0.10, within(0.001));
        assertThat(m.blastRadius().candidateRequestShare()).isCloseTo(0.1 * 3.2 / 4, within(0.001));
        assertThat(m.blastRadius().failedRequestShare()).isCloseTo(0.1 * 3.2 / 4, within(0.001));
        // Users are sequence numbers modulo 100: every tenth user meets v2.
        assertThat(m.blastRadius().affectedUserShare()).isCloseTo(0.10, within(1e-9));
        assertThat(m.resourceOverhead()).isCloseTo(0.1, within(1e-9));
        assertThat(m.requestsByVersion()).containsEntry("v2", 320L).containsEntry("v1", 19680L);
    }

    @Test
    void rollbackNeverRestoredRunsToTheEndOfTheRun() {
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(5));
        run.send(0, 10, t -> t >= 6 ? Outcome.HTTP5XX : Outcome.SUCCESS, t -> t >= 6 ? "v2" : "v1");
        run.recorder.finish(ns(10));
        Metrics m = new MetricsCalculator(run.recorder, rollout(10, 5.0, null, 7.0, null)).metrics();
        assertThat(m.trafficRestored()).isFalse();
        assertThat(m.rollbackSeconds()).isCloseTo(3.0, within(1e-9));
        assertThat(m.rollbackCompleteSeconds()).isNull();
        assertThat(m.detectionSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void restorationNeedsAFullSecondOnTheStableVersion() {
        // After the decision at 5 s, traffic is back on v1 at 5.5 s but a burst of failures at 5.8 s spoils the
        // windows that contain it: the first clean second starts just after it.
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 10,
            t -> t >= 5.8 && t < 5.82 ? Outcome.RESET : Outcome.SUCCESS, t -> t >= 4 && t < 5.5 ? "v2" : "v1");
        run.recorder.finish(ns(10));
        Metrics m = new MetricsCalculator(run.recorder, rollout(10, 4.0, 6.0, 5.0, 6.0)).metrics();
        // Every window starting in [5.0, 5.82) holds the 20 failures (2 %): restoration waits until they slide out.
        assertThat(m.rollbackSeconds()).isCloseTo(0.82, within(BUCKET));
    }

    @Test
    void peakCandidateShareIsTheWorstSecondNotTheAverage() {
        // 10 % for most of the rollout, 50 % during one second.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(10));
        run.send(0, 20, t -> Outcome.SUCCESS,
            t -> t >= 12 && t < 13 ? (Math.round(t * 1000) % 2 == 0 ? "v2" : "v1") : canaryVersion(t, 10, 18));
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 10.0, 18.0, null, null)).metrics();
        assertThat(m.blastRadius().peakCandidateShare()).isCloseTo(0.5, within(0.001));
        assertThat(m.blastRadius().candidateRequestShare()).isCloseTo((7 * 0.1 + 0.5) / 8, within(0.001));
        assertThat(m.rollbackSeconds()).isNull();
        assertThat(m.detectionSeconds()).isNull();
        assertThat(m.trafficRestored()).isNull();
    }

    @Test
    void loadOnlyRunLeavesStrategyMetricsNull() {
        SyntheticRun run = new SyntheticRun(500, 100).sendOk(0, 3, "v1");
        run.recorder.finish(ns(3));
        Metrics m = new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(3), 0.01)).metrics();
        assertThat(m.blastRadius().candidateRequestShare()).isNull();
        assertThat(m.rollbackSeconds()).isNull();
        assertThat(m.deploymentSeconds()).isNull();
        assertThat(m.resourceOverhead()).isNull();
        assertThat(m.latencyMs().p50()).isCloseTo(1.0, within(0.001));
    }

    @Test
    void timelineHasOneSecondPerPointWithLatencyOfItsSecond() {
        SyntheticRun run = new SyntheticRun(1000, 100);
        var r = run.recorder;
        for (int i = 0; i < 3000; i++) {
            double t = i / 1000.0;
            long latency = t >= 1 && t < 2 ? ns(0.2) : ns(0.002);
            r.record(run.nextSeq(), ns(t), latency, t >= 2.5 ? Outcome.HTTP5XX : Outcome.SUCCESS, "v1", i);
        }
        r.finish(ns(3));
        List<TimelinePoint> timeline = new MetricsCalculator(r, RunFacts.loadOnly(ns(3), 0.01)).timeline();
        assertThat(timeline).hasSize(3);
        assertThat(timeline.get(0).requests()).isEqualTo(1000);
        assertThat(timeline.get(0).p50Ms()).isCloseTo(2.0, within(0.01));
        assertThat(timeline.get(1).p50Ms()).isCloseTo(200.0, within(0.2));
        assertThat(timeline.get(2).failed()).isEqualTo(500);
        assertThat(timeline.get(2).byVersion()).containsEntry("v1", 1000L);
    }
}
