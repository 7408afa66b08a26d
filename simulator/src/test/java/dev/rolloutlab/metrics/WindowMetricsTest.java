package dev.rolloutlab.metrics;

import java.util.EnumMap;
import java.util.Map;
import dev.rolloutlab.result.Milestone;
import static dev.rolloutlab.metrics.SyntheticRun.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.TimelinePoint;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowMetricsTest {
    /** Window metrics have bucket resolution: 10 ms. */
    private static final double BUCKET = 0.01;

    /**
     * A rollout that was promoted at {@code rolloutEnd} when there is no {@code decision}, rolled back otherwise, by an
     * analysis whose breached rule first held in the window that starts at the decision (so detection counts from the
     * first failed request).
     */
    private static RunFacts rollout(double end, Double start, Double rolloutEnd, Double decision, Double complete) {
        Map<Milestone, Long> milestones = new EnumMap<>(Milestone.class);
        if (start != null) {
            milestones.put(Milestone.START, ns(start));
        }
        if (decision == null && rolloutEnd != null) {
            milestones.put(Milestone.PROMOTED, ns(rolloutEnd));
        }
        if (decision != null) {
            milestones.put(Milestone.DECISION, ns(decision));
        }
        if (complete != null) {
            milestones.put(Milestone.ROLLED_BACK, ns(complete));
        }
        return new RunFacts(ns(end), 0.01, "v1", "v2", milestones, rolloutEnd == null ? null : ns(rolloutEnd), 11, 10,
            null, null, decision == null ? null : ns(decision));
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

        // The last v2 request is at 13.19 s: restored at 13.2 s. (A 99 % window alone would read 0.1 s: the 10 v2
        // failures of [13.1 s, 13.2 s) are 1 % of the second from 13.1 s.)
        assertThat(m.rollbackSeconds()).isCloseTo(0.2, within(1e-9));
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
        assertThat(m.deploymentSeconds()).isNull();
        assertThat(m.detectionSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void detectionCountsFromTheBreachedRulesFirstWindowWhenNoRequestFailed() {
        // A latency regression: nothing fails; the rule's condition first held in the window from 11 s.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(10));
        run.sendOk(0, 20, "v1");
        run.recorder.finish(ns(20));
        Map<Milestone, Long> milestones = Map.of(Milestone.START, ns(10), Milestone.DECISION, ns(16));
        RunFacts analysed = new RunFacts(ns(20), 0.01, "v1", "v2", milestones, null, 11, 10, null, null, ns(11));
        assertThat(new MetricsCalculator(run.recorder, analysed).metrics().detectionSeconds())
            .isCloseTo(5.0, within(1e-9));
        // A failed request before that window is the first bad observation.
        SyntheticRun failing = new SyntheticRun(1000, 100);
        failing.recorder.markRolloutStart(ns(10));
        failing.send(0, 20, t -> t >= 10.5 && t < 10.51 ? Outcome.HTTP5XX : Outcome.SUCCESS, t -> "v1");
        failing.recorder.finish(ns(20));
        assertThat(new MetricsCalculator(failing.recorder, analysed).metrics().detectionSeconds())
            .isCloseTo(5.5, within(1e-9));
    }

    @Test
    void aScriptedRollbackDetectsNothing() {
        // Failures before the scripted decision at 20 s: no analysis saw them, so nothing was detected.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(5));
        run.send(0, 25, t -> t >= 6 && t < 20 ? Outcome.HTTP5XX : Outcome.SUCCESS, t -> t >= 6 && t < 20 ? "v2" : "v1");
        run.recorder.finish(ns(25));
        Map<Milestone, Long> milestones = Map.of(Milestone.START, ns(5), Milestone.DECISION, ns(20));
        Metrics m = new MetricsCalculator(run.recorder,
            new RunFacts(ns(25), 0.01, "v1", "v2", milestones, null, 11, 10, null, null, null)).metrics();
        assertThat(m.detectionSeconds()).isNull();
        assertThat(m.rollbackSeconds()).isNotNull();
    }

    @Test
    void exposureCountsTheHarmAfterThePromotionThatTheRolloutWindowMisses() {
        // A rolling update from 5 s promoted at 9 s; from then v2 serves everything and fails 68 % of requests (the
        // first 68 of every 100, so users 0-67 of 100) until the run ends at 20 s.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(5));
        run.recorder.markRolloutEnd(ns(9));
        run.send(0, 20, t -> t >= 9 && Math.round(t * 1000) % 100 < 68 ? Outcome.HTTP5XX : Outcome.SUCCESS,
            t -> t >= 7 ? "v2" : "v1");
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 5.0, 9.0, null, null)).metrics();
        assertThat(m.blastRadius().failedRequestShare()).isZero();
        assertThat(m.blastRadius().affectedUserShare()).isZero();
        assertThat(m.blastRadius().candidateRequestShare()).isCloseTo(2 / 4.0, within(0.001));
        assertThat(m.exposure().failedRequestShare()).isCloseTo(0.68 * 11 / 15, within(0.001));
        assertThat(m.exposure().affectedUserShare()).isCloseTo(0.68, within(1e-9));
        assertThat(m.exposure().candidateRequestShare()).isCloseTo(13 / 15.0, within(0.001));
        assertThat(m.exposure().peakCandidateShare()).isEqualTo(1.0);
        // Without a rollout there is no exposure.
        SyntheticRun loadOnly = new SyntheticRun(1000, 100).sendOk(0, 3, "v1");
        loadOnly.recorder.finish(ns(3));
        assertThat(new MetricsCalculator(loadOnly.recorder, RunFacts.loadOnly(ns(3), 0.01)).metrics().exposure())
            .isNull();
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

    // ---- rollbackSeconds: the switch, measured exactly -----------------------------------------------------------

    /**
     * A bad canary (v2 fails every request) at {@code weight} from 10 s; the rollback is decided at 13 s and traffic
     * switches back to v1 {@code delayMs} later. The weight is interleaved (request i goes to v2 when
     * floor((i + 1) w) > floor(i w)) or drawn per request from a seeded random. Resolution: 10 ms.
     */
    @ParameterizedTest(name = "weight {0}, switch after {1} ms, random {2}")
    @CsvSource({"0.1, 20, false", "0.1, 50, false", "0.1, 100, false", "0.5, 20, false", "0.5, 50, false",
        "0.5, 100, false", "0.1, 20, true", "0.1, 50, true", "0.1, 100, true", "0.5, 20, true", "0.5, 50, true",
        "0.5, 100, true"})
    void rollbackMeasuresTheSwitchWithinTenMilliseconds(double weight, int delayMs, boolean random) {
        double switchAt = 13 + delayMs / 1000.0;
        boolean[] onCandidate = new boolean[20_000];
        Random draw = new Random(11);
        for (int i = 10_000; i < Math.round(switchAt * 1000); i++) {
            onCandidate[i] = random ? draw.nextDouble() < weight : Math.floor((i + 1) * weight) > Math.floor(i * weight);
        }
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.recorder.markRolloutStart(ns(10));
        run.send(0, 20, t -> onCandidate[(int) Math.round(t * 1000)] ? Outcome.HTTP5XX : Outcome.SUCCESS,
            t -> onCandidate[(int) Math.round(t * 1000)] ? "v2" : "v1");
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 10.0, null, 13.0, null)).metrics();

        assertThat(m.trafficRestored()).isTrue();
        assertThat(m.rollbackSeconds()).isCloseTo(delayMs / 1000.0, within(BUCKET + 1e-9));
        // Exactly by the definition: the bucket boundary after the last v2 request.
        int last = Math.round((float) switchAt * 1000) - 1;
        while (!onCandidate[last]) {
            last--;
        }
        assertThat(m.rollbackSeconds()).isCloseTo((last / 10 + 1) / 100.0 - 13, within(1e-9));
    }

    @Test
    void restorationWaitsForTheCandidatesLastRequestEvenWhenItSucceeded() {
        // A healthy 1 % canary keeps answering until 14 s: 99 % of every second succeeds on v1 from the decision on,
        // yet traffic is only back on the stable version after the last v2 request (13.999 s).
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.send(0, 20, t -> Outcome.SUCCESS, t -> t >= 10 && t < 14 && Math.round(t * 1000) % 100 == 99 ? "v2" : "v1");
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 10.0, null, 13.0, null)).metrics();
        assertThat(m.rollbackSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void restorationNeedsItsWholeSecondInsideTheRun() {
        // Switched back at 19.5 s of a 20 s run: no full second of restored traffic follows.
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.send(0, 20, t -> Outcome.SUCCESS, t -> t >= 10 && t < 19.5 && Math.round(t * 1000) % 10 == 0 ? "v2" : "v1");
        run.recorder.finish(ns(20));
        Metrics m = new MetricsCalculator(run.recorder, rollout(20, 10.0, null, 19.0, null)).metrics();
        assertThat(m.trafficRestored()).isFalse();
        assertThat(m.rollbackSeconds()).isCloseTo(1.0, within(1e-9));
    }

    // ---- degradedSeconds, deploymentSeconds, generator-limited requests -------------------------------------------

    @Test
    void aPartialLastSecondCountsByItsShare() {
        // A 10.5 s run whose last half-second has 10 % errors: 0.5 degraded seconds.
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 10.5, t -> t >= 10 && Math.round(t * 1000) % 10 == 0 ? Outcome.HTTP5XX : Outcome.SUCCESS, t -> "v1");
        run.recorder.finish(ns(10.5));
        Metrics m = new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(10.5), 0.01)).metrics();
        assertThat(m.degradedSeconds()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void deploymentEndsOnlyAtRolloutCompleteOrRollbackComplete() {
        SyntheticRun run = new SyntheticRun(1000, 100).sendOk(0, 20, "v1");
        run.recorder.finish(ns(20));
        assertThat(new MetricsCalculator(run.recorder, rollout(20, 5.0, 12.0, null, null)).metrics()
            .deploymentSeconds()).isCloseTo(7.0, within(1e-9));
        assertThat(new MetricsCalculator(run.recorder, rollout(20, 5.0, 14.0, 8.0, 14.0)).metrics()
            .deploymentSeconds()).isCloseTo(9.0, within(1e-9));
        // The load ended before rollback-complete: the decision alone ends no deployment.
        assertThat(new MetricsCalculator(run.recorder, rollout(20, 5.0, null, 8.0, null)).metrics()
            .deploymentSeconds()).isNull();
        // rollout-failed (a progress deadline) ends the rollout window, not a deployment.
        RunFacts failed = new RunFacts(ns(20), 0.01, "v1", "v2", Map.of(Milestone.START, ns(5)), ns(15), 11, 10,
            null, null, null);
        assertThat(new MetricsCalculator(run.recorder, failed).metrics().deploymentSeconds()).isNull();
    }

    @Test
    void generatorLimitedRequestsAreCountedBySecondAndCauseAndInNoServiceMetric() {
        SyntheticRun run = new SyntheticRun(1000, 100).sendOk(0, 1, "v1");
        for (int i = 0; i < 30; i++) {
            run.limited(1 + i / 1000.0, i < 20 ? LimitCause.LOOP_LATE : LimitCause.NO_CONNECTION);
        }
        run.sendOk(1.03, 3, "v1");
        run.limited(2.5, LimitCause.EXPIRED_UNSENT);
        run.recorder.finish(ns(3));
        MetricsCalculator calculator = new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(3), 0.01));
        Metrics m = calculator.metrics();
        assertThat(m.requests()).isEqualTo(2970);
        assertThat(m.failedRequests()).isZero();
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.generatorLimited().requests()).isEqualTo(31);
        assertThat(m.generatorLimited().share()).isCloseTo(31 / 3001.0, within(1e-12));
        assertThat(m.generatorLimited().byCause()).extracting("expiredUnsent", "noConnection", "loopLate")
            .containsExactly(1L, 10L, 20L);
        assertThat(calculator.timeline()).extracting(TimelinePoint::generatorLimited).containsExactly(0L, 30L, 1L);
        assertThat(calculator.timeline()).extracting(TimelinePoint::requests).containsExactly(1000L, 970L, 1000L);
    }
}
