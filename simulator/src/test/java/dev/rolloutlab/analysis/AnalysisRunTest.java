package dev.rolloutlab.analysis;

import dev.rolloutlab.result.Milestone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.analysis.Traffic.Answer;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.scenario.Analysis;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every lab sends 1000 requests/s from 0 s, answered by v1 in 1 ms; the rollout and the analysis start at 10 s, and
 * in a canary every tenth request goes to v2. The seed's triggers are written as scenario rules, at 1 s intervals.
 */
class AnalysisRunTest {
    private static final ReplicaSet CANDIDATE = ReplicaSet.of("v2");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** One run: clock, traffic, replica statuses, and what the analysis reported. */
    private static final class Lab {
        final ManualClock clock = new ManualClock();
        final EventLog events = new EventLog(clock);
        final StubPlatform platform = new StubPlatform();
        final List<String> breaches = new ArrayList<>();
        final Traffic traffic;
        AnalysisRun analysis;

        Lab(Traffic.Backend backend) {
            traffic = new Traffic(clock, 1000, backend);
        }

        /** Every tenth request from 10 s goes to v2, answered by {@code candidate}. */
        static Lab canary(Traffic.Backend candidate) {
            return new Lab((i, t) -> t >= 10 && i % 10 == 0 ? candidate.answer(i, t) : Answer.ok("v1", 1));
        }

        Lab analyse(Duration interval, Rule... rules) {
            return analyse(interval, null, rules);
        }

        /** Starts the analysis at 10 s with the baseline of [0, 10 s). */
        Lab analyse(Duration interval, Function<String, List<ReplicaSet>> sets, Rule... rules) {
            at(10);
            Analysis spec = new Analysis(interval, List.of(rules), Duration.ZERO);
            double baseline = AnalysisRun.baselineThroughput(traffic.recorder, 0, clock.nanos());
            analysis = sets == null
                ? new AnalysisRun(spec, clock, events, traffic.recorder, platform, "v1", "v2", baseline, breaches::add)
                : new AnalysisRun(spec, clock, events, traffic.recorder, platform, "v1", "v2", sets, baseline,
                    breaches::add);
            analysis.start();
            return this;
        }

        Lab at(double seconds) {
            clock.advance(Duration.ofNanos(Math.round(seconds * 1e9) - clock.nanos()));
            return this;
        }

        /** Asserts the breach comes exactly at {@code seconds}: not a millisecond before. */
        void breachesAt(double seconds, String reason) {
            at(seconds - 0.001);
            assertThat(breaches).isEmpty();
            at(seconds);
            assertThat(breaches).containsExactly(reason);
        }

        void neverBreachesUntil(double seconds) {
            at(seconds);
            assertThat(breaches).isEmpty();
        }

        List<String> eventsOf(String type) {
            return events.events().stream().filter(e -> e.type().equals(type))
                .map(e -> e.t() + " " + e.detail().get("state") + " " + e.detail().get("value")).toList();
        }
    }

    private static Rule max(String metric, String scope, double max, String forDuration) {
        return new Rule(metric, scope, max, null, forDuration == null ? null : Durations.parse(forDuration), null);
    }

    private static Rule restarts(int max, String within) {
        return new Rule("restarts", "candidate", (double) max, null, null, Durations.parse(within));
    }

    private static Rule throughputAbove(double min) {
        return new Rule("throughputRatio", "all", null, min, null, null);
    }

    /** The candidate fails {@code percent} % of its requests, the first ones of every 100. */
    private static Traffic.Backend failing(int percent) {
        return (i, t) -> (i / 10) % 100 < percent ? Answer.fail("v2") : Answer.ok("v2", 1);
    }

    // ---- seed 001's auto-rollback triggers ---------------------------------------------------------------------

    @Test
    void errorRateAboveFivePercentForTwoMinutes() {
        Rule rule = max("errorRate", "candidate", 0.05, "2m");
        // First seen at 11 s (window [10 s, 11 s)), held until 11 s + 2 min.
        Lab.canary(failing(6)).analyse(SECOND, rule).breachesAt(131, "errorRate of candidate 0.06 > 0.05 for 2m");
        Lab.canary(failing(5)).analyse(SECOND, rule).neverBreachesUntil(400);
        Lab.canary((i, t) -> failing(t < 130 ? 6 : 0).answer(i, t)).analyse(SECOND, rule).neverBreachesUntil(400);
    }

    /**
     * A candidate whose replicas refuse connections shows only the proxy's own 502s, served by no version: they are
     * the candidate's failures by the version the proxy routed them to, as a mesh's destination labels say.
     */
    @Test
    void theProxysOwnFailuresCountForTheVersionItRoutedThemTo() {
        Rule rule = max("errorRate", "candidate", 0.05, "2s");
        Lab.canary((i, t) -> (i / 10) % 100 < 6 ? Answer.proxyFailure("v2") : Answer.ok("v2", 1))
            .analyse(SECOND, rule).breachesAt(13, "errorRate of candidate 0.06 > 0.05 for 2s");
        Lab.canary((i, t) -> (i / 10) % 100 < 6 ? Answer.proxyFailure("v1") : Answer.ok("v2", 1))
            .analyse(SECOND, rule).neverBreachesUntil(30);
    }

    @Test
    void latencyP95Above500MillisecondsForFiveMinutes() {
        Rule rule = max("latencyP95", "candidate", 500, "5m");
        Lab.canary((i, t) -> Answer.ok("v2", 600)).analyse(SECOND, rule)
            .breachesAt(311, "latencyP95 of candidate 600ms > 500ms for 5m");
        Lab.canary((i, t) -> Answer.ok("v2", 490)).analyse(SECOND, rule).neverBreachesUntil(700);
        Lab.canary((i, t) -> Answer.ok("v2", t < 305 ? 600 : 100)).analyse(SECOND, rule).neverBreachesUntil(700);
    }

    /**
     * "3 restarts in 5 min": {@code max} breaches above, so the rule is max 2. The first restart, at 5 s, is before the
     * analysis and does not count; without {@code within} every restart since the analysis began does.
     */
    @Test
    void threeRestartsWithinFiveMinutes() {
        Rule rule = restarts(2, "5m");
        restartsAt(rule, 5, 20.5, 100.5, 250.5).breachesAt(251, "restarts of candidate 3 > 2 within 5m");
        restartsAt(rule, 5, 5, 20.5, 100.5).neverBreachesUntil(700);
        restartsAt(rule, 5, 20.5, 200.5, 380.5).neverBreachesUntil(700);
        restartsAt(new Rule("restarts", "candidate", 2.0, null, null, null), 5, 20.5, 200.5, 380.5)
            .breachesAt(381, "restarts of candidate 3 > 2");
    }

    /** The candidate set restarts once at each of {@code times} (seconds). */
    private static Lab restartsAt(Rule rule, double... times) {
        Lab lab = new Lab((i, t) -> Answer.ok("v1", 1));
        for (int n = 0; n < times.length; n++) {
            int restarts = n + 1;
            lab.clock.at(Math.round(times[n] * 1e9), () -> lab.platform.set(CANDIDATE, 1, 1, restarts));
        }
        return lab.analyse(SECOND, rule);
    }

    @Test
    void moreThanHalfOfHealthChecksFailing() {
        Rule rule = max("healthCheckFailures", "candidate", 0.5, null);
        Lab lab = new Lab((i, t) -> Answer.ok("v1", 1));
        lab.platform.set(CANDIDATE, 5, 3, 0);
        lab.clock.at(30_500_000_000L, () -> lab.platform.set(CANDIDATE, 5, 2, 0));
        lab.analyse(SECOND, rule).breachesAt(31, "healthCheckFailures of candidate 0.6 > 0.5");

        Lab half = new Lab((i, t) -> Answer.ok("v1", 1));
        half.platform.set(CANDIDATE, 6, 3, 0);
        half.analyse(SECOND, rule).neverBreachesUntil(60);
    }

    /** Requests that hang until the 2 s timeout reach no version and do not succeed: throughput shows them. */
    @Test
    void throughputBelowNinetyPercentOfBaseline() {
        Lab lab = hanging(15).analyse(SECOND, throughputAbove(0.9));
        // The request sent at 10.999 s is still in flight at 11 s.
        lab.breachesAt(11, "throughputRatio of all 0.849 < 0.9");
        hanging(8).analyse(SECOND, throughputAbove(0.9)).neverBreachesUntil(60);
    }

    private static Lab hanging(int percent) {
        return new Lab((i, t) -> t >= 10 && i % 100 < percent ? new Answer(null, Outcome.TIMEOUT, 2000)
            : Answer.ok("v1", 1));
    }

    @Test
    void baselineIsSuccessfulRequestsPerSecond() {
        Lab lab = hanging(15).at(20);
        assertThat(AnalysisRun.baselineThroughput(lab.traffic.recorder, 0, 10_000_000_000L)).isEqualTo(1000);
        assertThat(AnalysisRun.baselineThroughput(lab.traffic.recorder, 10_000_000_000L, 15_000_000_000L))
            .isEqualTo(850);
        assertThat(AnalysisRun.baselineThroughput(lab.traffic.recorder, 5, 5)).isZero();
    }

    // ---- for ----------------------------------------------------------------------------------------------------

    @Test
    void forTwoSecondsDetectsAFailingCandidateTwoToFourSecondsAfterItsFirstFailure() {
        Lab lab = Lab.canary((i, t) -> t >= 10.3 ? Answer.fail("v2") : Answer.ok("v2", 1));
        lab.traffic.recorder.markRolloutStart(10_000_000_000L);
        lab.analyse(SECOND, max("errorRate", "candidate", 0.05, "2s"));
        lab.breachesAt(13, "errorRate of candidate 1 > 0.05 for 2s");
        // The condition first held in the window [10 s, 11 s) the evaluation at 11 s measured.
        assertThat(lab.analysis.breachedSince()).isEqualTo(10_000_000_000L);
        // detectionSeconds as the run reports it: from that window's start (before the first failed request, at
        // 10.3 s: the window's resolution) to the decision.
        long decision = Math.round(lab.events.events().get(lab.events.events().size() - 1).t() * 1e9);
        RunFacts facts = new RunFacts(decision, 0.01, "v1", "v2",
            Map.of(Milestone.START, 10_000_000_000L, Milestone.DECISION, decision), null, null, null, null, null,
            lab.analysis.breachedSince());
        assertThat(new MetricsCalculator(lab.traffic.recorder, facts).metrics().detectionSeconds())
            .isCloseTo(3.0, within(1e-9)).isBetween(2.0, 4.0);
        assertThat(lab.eventsOf("analysis")).containsExactly("11.0 failing 0.7");
        assertThat(lab.events.events()).last().extracting(Event::type, Event::detail).containsExactly("analysis-failed",
            Map.of("rule", "errorRate of candidate > 0.05 for 2s", "value", 1.0, "heldSince", 10.0));
    }

    /** The first bad observation of the breached rule: the start of the window its unbroken failing series began in. */
    @Test
    void theBreachRemembersTheFirstWindowInWhichItsConditionHeld() {
        Lab late = Lab.canary((i, t) -> t >= 12.5 ? Answer.fail("v2") : Answer.ok("v2", 1))
            .analyse(SECOND, max("errorRate", "candidate", 0.05, "2s"));
        assertThat(late.analysis.breachedSince()).isNull();
        late.breachesAt(15, "errorRate of candidate 1 > 0.05 for 2s");
        assertThat(late.analysis.breachedSince()).isEqualTo(12_000_000_000L);
        // A latency regression fails no request: its first window is the rollout's first.
        Lab slow = Lab.canary((i, t) -> Answer.ok("v2", 600))
            .analyse(SECOND, max("latencyP95", "candidate", 500, "5s"));
        slow.breachesAt(16, "latencyP95 of candidate 600ms > 500ms for 5s");
        assertThat(slow.analysis.breachedSince()).isEqualTo(10_000_000_000L);
        // throughputRatio looks back max(interval, for), never before the analysis started.
        // Hanging from 14.5 s: the window [13 s, 16 s) keeps 0.925 of the baseline, [14 s, 17 s) 0.875.
        Lab hanging = new Lab((i, t) -> t >= 14.5 && i % 100 < 15 ? new Answer(null, Outcome.TIMEOUT, 2000)
            : Answer.ok("v1", 1)).analyse(SECOND,
            new Rule("throughputRatio", "all", null, 0.9, Durations.parse("3s"), null));
        hanging.breachesAt(20, "throughputRatio of all 0.85 < 0.9 for 3s");
        assertThat(hanging.analysis.breachedSince()).isEqualTo(14_000_000_000L);
    }

    @Test
    void forCountsFromTheFirstEvaluationThatSawTheCondition() {
        Rule twoSeconds = max("errorRate", "candidate", 0.05, "2s");
        // Seen at 11 s and 12 s only: held 1 s.
        failingUntil(12).analyse(SECOND, twoSeconds).neverBreachesUntil(30);
        // Seen at 11, 12 and 13 s (half of [12 s, 13 s) failed).
        failingUntil(12.5).analyse(SECOND, twoSeconds).breachesAt(13, "errorRate of candidate 0.5 > 0.05 for 2s");
        // A duration between intervals waits for the next evaluation.
        failingUntil(60).analyse(SECOND, max("errorRate", "candidate", 0.05, "1.5s"))
            .breachesAt(13, "errorRate of candidate 1 > 0.05 for 1500ms");
        // Without for, the first evaluation that sees it.
        failingUntil(60).analyse(SECOND, max("errorRate", "candidate", 0.05, null))
            .breachesAt(11, "errorRate of candidate 1 > 0.05");
    }

    private static Lab failingUntil(double seconds) {
        return Lab.canary((i, t) -> t < seconds ? Answer.fail("v2") : Answer.ok("v2", 1));
    }

    @Test
    void aWindowWithoutDataRestartsFor() {
        // The candidate gets no requests in [12 s, 13 s), so the evaluation at 13 s has no data.
        Lab lab = new Lab((i, t) -> t >= 10 && (t < 12 || t >= 13) && i % 10 == 0 ? Answer.fail("v2")
            : Answer.ok("v1", 1)).analyse(SECOND, max("errorRate", "candidate", 0.05, "2s"));
        lab.breachesAt(16, "errorRate of candidate 1 > 0.05 for 2s");
        assertThat(lab.eventsOf("analysis"))
            .containsExactly("11.0 failing 1.0", "13.0 no-data null", "14.0 failing 1.0");
    }

    // ---- scopes, no data, once, stop ---------------------------------------------------------------------------

    @Test
    void scopesSeparateTheCandidateFromTheStableVersion() {
        // v1 fails every tenth request from 10 s, v2 none.
        Lab lab = new Lab((i, t) -> t >= 10 && i % 10 == 0 ? Answer.ok("v2", 1)
            : t >= 10 && i % 10 == 5 ? Answer.fail("v1") : Answer.ok("v1", 1));
        lab.analyse(SECOND, max("errorRate", "candidate", 0.05, null), max("errorRate", "stable", 0.05, null))
            .breachesAt(11, "errorRate of stable 0.111 > 0.05");
        assertThat(lab.eventsOf("analysis")).containsExactly("11.0 ok 0.0");

        Rule all = max("errorRate", "all", 0.05, null);
        assertThat(new Lab((i, t) -> t >= 10 && i % 10 == 5 ? Answer.fail(null) : Answer.ok("v1", 1))
            .analyse(SECOND, all).at(11).breaches).containsExactly("errorRate of all 0.1 > 0.05");

        // v2 answers in 600 ms: a tenth of all requests, above their 95th percentile once they come back (by 11 s
        // only those sent before 10.4 s have).
        Lab slow = Lab.canary((i, t) -> Answer.ok("v2", 600)).analyse(SECOND,
            max("latencyP95", "stable", 500, null), max("latencyP50", "all", 500, null),
            max("latencyP95", "all", 500, null));
        slow.breachesAt(12, "latencyP95 of all 600ms > 500ms");
        assertThat(slow.eventsOf("analysis")).containsExactly("11.0 ok 1.0", "11.0 ok 1.0", "11.0 ok 1.0");
    }

    @Test
    void perCellReplicaSetsAreSummed() {
        ReplicaSet cell1 = new ReplicaSet("v2", 1);
        ReplicaSet cell2 = new ReplicaSet("v2", 2);
        Lab lab = new Lab((i, t) -> Answer.ok("v1", 1));
        lab.platform.set(cell1, 2, 0, 0);
        lab.platform.set(cell2, 2, 2, 0);
        lab.clock.at(20_500_000_000L, () -> lab.platform.set(cell2, 2, 1, 0));
        lab.analyse(SECOND, scope -> scope.equals("candidate") ? List.of(cell1, cell2) : List.of(),
            max("healthCheckFailures", "candidate", 0.5, null))
            .breachesAt(21, "healthCheckFailures of candidate 0.75 > 0.5");
    }

    @Test
    void noDataIsNeverABreach() {
        Lab lab = new Lab((i, t) -> Answer.ok("v1", 1)).analyse(SECOND, max("errorRate", "candidate", 0, null),
            max("latencyP99", "candidate", 0, null), max("healthCheckFailures", "candidate", 0, null),
            throughputAbove(0.9));
        lab.neverBreachesUntil(60);
        assertThat(lab.eventsOf("analysis")).containsExactly("11.0 no-data null", "11.0 no-data null",
            "11.0 no-data null", "11.0 ok 0.999");
    }

    @Test
    void theCallbackIsCalledOnceAndTheAnalysisEnds() {
        Lab lab = failingUntil(600).analyse(SECOND, max("errorRate", "candidate", 0.05, null),
            max("errorRate", "all", 0.05, null)).at(60);
        assertThat(lab.breaches).containsExactly("errorRate of candidate 1 > 0.05");
        assertThat(lab.eventsOf("analysis-failed")).hasSize(1);
        assertThat(lab.events.events()).last().extracting(Event::t).isEqualTo(11.0);
    }

    @Test
    void stopCancelsTheEvaluations() {
        Lab lab = failingUntil(600).analyse(SECOND, max("errorRate", "candidate", 0.05, "2s")).at(12.5);
        lab.analysis.stop();
        lab.neverBreachesUntil(60);
        assertThat(lab.events.events()).extracting(Event::t).allMatch(t -> t <= 11.0);
        assertThat(lab.eventsOf("analysis")).containsExactly("11.0 failing 1.0");
    }
}
