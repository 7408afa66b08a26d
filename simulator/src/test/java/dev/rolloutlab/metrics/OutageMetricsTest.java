package dev.rolloutlab.metrics;

import static dev.rolloutlab.metrics.SyntheticRun.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Outage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The edges of {@code downtimeSeconds}: a run of at least minFailures (5) consecutive failures with p^k below 1e-9,
 * p the failure ratio of the seconds around it; from its first failure to the next success; unmeasurable when the
 * generator could not send on time inside or next to it.
 */
class OutageMetricsTest {
    private static final double EXACT = 1e-9;
    /** One inter-arrival time at 1000 requests a second. */
    private static final double MS = 0.001;

    private static Metrics finish(SyntheticRun run, double end) {
        run.recorder.finish(ns(end));
        return new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(end), 0.01)).metrics();
    }

    @Test
    void outageLastsFromFirstFailureToNextSuccess() {
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 8, t -> t >= 3 && t < 4.5 ? Outcome.REFUSED : Outcome.SUCCESS, t -> t >= 3 && t < 4.5 ? null : "v1");
        Metrics m = finish(run, 8);
        assertThat(m.downtimeSeconds()).isCloseTo(1.5, within(EXACT));
        assertThat(m.longestOutageSeconds()).isCloseTo(1.5, within(EXACT));
        assertThat(m.failedRequests()).isEqualTo(1500);
        assertThat(m.failuresByCause().refused()).isEqualTo(1500);
        assertThat(m.requests()).isEqualTo(8000);
    }

    @Test
    void outageAtStartOfRunStartsAtTheFirstRequest() {
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 4, t -> t < 0.5 ? Outcome.REFUSED : Outcome.SUCCESS, t -> "v1");
        assertThat(finish(run, 4).downtimeSeconds()).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void outageStillOpenAtEndOfRunLastsUntilTheEnd() {
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 4, t -> t >= 3.25 ? Outcome.TIMEOUT : Outcome.SUCCESS, t -> "v1");
        Metrics m = finish(run, 4);
        assertThat(m.downtimeSeconds()).isCloseTo(0.75, within(EXACT));
        assertThat(m.failuresByCause().timeout()).isEqualTo(750);
    }

    @Test
    void runShorterThanMinFailuresIsNotDowntime() {
        // 4 failures in a row (minFailures is 5): errors, not an outage.
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 2, t -> t >= 1.000 && t < 1.0035 ? Outcome.RESET : Outcome.SUCCESS, t -> "v1");
        Metrics m = finish(run, 2);
        assertThat(m.failedRequests()).isEqualTo(4);
        assertThat(m.downtimeSeconds()).isZero();

        SyntheticRun five = new SyntheticRun(1000, 100)
            .send(0, 2, t -> t >= 1.000 && t < 1.0045 ? Outcome.RESET : Outcome.SUCCESS, t -> "v1");
        assertThat(finish(five, 2).downtimeSeconds()).isCloseTo(0.005, within(EXACT));
    }

    @Test
    void scatteredErrorsAreNotDowntime() {
        Random random = new Random(42);
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 10, t -> random.nextDouble() < 0.03 ? Outcome.HTTP5XX : Outcome.SUCCESS, t -> "v1");
        Metrics m = finish(run, 10);
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.errorRate()).isCloseTo(0.03, within(0.005));
        assertThat(m.degradedSeconds()).isEqualTo(10);
    }

    @Test
    void lateCompletionsAreOrderedByIntendedTime() {
        // Requests meant for [2, 3) time out and complete two seconds late, after the successes that follow them.
        SyntheticRun run = new SyntheticRun(1000, 100);
        var r = run.recorder;
        long[] timedOutSeq = new long[1000];
        run.sendOk(0, 2, "v1");
        for (int i = 0; i < 1000; i++) {
            timedOutSeq[i] = run.nextSeq();
        }
        run.sendOk(3, 6, "v1");
        for (int i = 0; i < 1000; i++) {
            r.record(timedOutSeq[i], ns(2 + i / 1000.0), ns(2), Outcome.TIMEOUT, null, i);
        }
        Metrics m = finish(run, 6);
        assertThat(m.downtimeSeconds()).isCloseTo(1.0, within(EXACT));
    }

    @Test
    void requestsTheGeneratorDroppedNeitherEndNorCountAsOutage() {
        SyntheticRun run = new SyntheticRun(1000, 100);
        var r = run.recorder;
        run.sendOk(0, 1, "v1");
        run.send(1, 1.5, t -> Outcome.REFUSED, t -> null);
        r.skip(run.nextSeq(), ns(1.5)); // dropped by the generator inside the outage
        run.send(1.501, 2, t -> Outcome.REFUSED, t -> null);
        run.sendOk(2, 3, "v1");
        Metrics m = finish(run, 3);
        assertThat(m.downtimeSeconds()).isCloseTo(1.0, within(EXACT));
        assertThat(m.longestOutageSeconds()).isCloseTo(1.0, within(EXACT));
        assertThat(m.requests()).isEqualTo(2999);
    }

    @Test
    void twoOutagesAddUpAndTheLongestIsKept() {
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 10,
            t -> (t >= 2 && t < 2.4) || (t >= 6 && t < 7) ? Outcome.REFUSED : Outcome.SUCCESS, t -> "v1");
        Metrics m = finish(run, 10);
        assertThat(m.downtimeSeconds()).isCloseTo(1.4, within(EXACT));
        assertThat(m.longestOutageSeconds()).isCloseTo(1.0, within(EXACT));
        assertThat(run.recorder.outageWindows()).hasSize(2)
            .noneMatch(Recorder.OutageWindow::unmeasurable);
    }

    // ---- too long to be chance ---------------------------------------------------------------------------------

    /** Each request fails with probability {@code share}, independently (seeded). */
    private static Outcome scattered(Random random, double share) {
        return random.nextDouble() < share ? Outcome.HTTP5XX : Outcome.SUCCESS;
    }

    @Test
    void thirtyPercentScatteredErrorsAtTenThousandASecondAreNoDowntime() {
        Random random = new Random(1);
        SyntheticRun run = new SyntheticRun(10_000, 100).send(0, 60, t -> scattered(random, 0.3), t -> "v1");
        Metrics m = finish(run, 60);
        // Runs of 5 and more failures happen every few milliseconds here: each is a candidate, none an outage.
        assertThat(m.errorRate()).isCloseTo(0.3, within(0.002));
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.unmeasurableOutages()).isZero();
        assertThat(run.recorder.outageWindows()).isEmpty();
    }

    @Test
    void fiftyPercentScatteredErrorsAreNoDowntimeAndTheCandidatesStayBounded() {
        Random random = new Random(2);
        SyntheticRun run = new SyntheticRun(10_000, 100).send(0, 5, t -> scattered(random, 0.5), t -> "v1");
        int afterFiveSeconds = run.recorder.outageCandidatesPeak();
        run.send(5, 60, t -> scattered(random, 0.5), t -> "v1");
        Metrics m = finish(run, 60);
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(run.recorder.outageWindows()).isEmpty();
        // About 10,000 / 2^6 = 156 candidates a second, pending for about a second each: eleven times more run time
        // leaves the peak where it was, far below the bound of one second of requests / (minFailures + 1).
        assertThat(afterFiveSeconds).isBetween(100, 400);
        assertThat(run.recorder.outageCandidatesPeak()).isLessThan(afterFiveSeconds * 3 / 2);
    }

    @Test
    void aTwentyMillisecondOutageInsideThirtyPercentScatteredErrorsIsFoundAndMeasured() {
        Random random = new Random(3);
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 10,
            t -> t >= 5 && t < 5.02 ? Outcome.REFUSED : scattered(random, 0.3), t -> "v1");
        Metrics m = finish(run, 10);
        // 20 failures amid p = 0.3: 0.3^20 = 3.5e-12. Scattered failures next to it join the run (by definition).
        assertThat(m.downtimeSeconds()).isCloseTo(0.020, within(2 * MS + EXACT));
        assertThat(m.longestOutageSeconds()).isEqualTo(m.downtimeSeconds());
        assertThat(run.recorder.outageWindows()).singleElement()
            .satisfies(w -> assertThat(w.startNanos() / 1e9).isCloseTo(5.0, within(2 * MS + EXACT)));
    }

    @Test
    void theRunLengthThatIsNoLongerChanceFollowsTheFailureRatioAround() {
        // Every other request fails (p = 0.5): 0.5^29 = 1.9e-9 could be chance, 0.5^30 = 9.3e-10 cannot.
        assertThat(downtimeOfARunAmidAlternatingErrors(29)).isZero();
        assertThat(downtimeOfARunAmidAlternatingErrors(30)).isCloseTo(0.030, within(EXACT));
    }

    /** {@code k} failures from 5 s on, amid alternating failures and successes, with a success on either side. */
    private static double downtimeOfARunAmidAlternatingErrors(int k) {
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 10, t -> {
            long i = Math.round(t * 1000);
            boolean failed = i >= 5000 && i < 5000 + k || i != 4999 && i != 5000 + k && i % 2 == 1;
            return failed ? Outcome.HTTP5XX : Outcome.SUCCESS;
        }, t -> "v1");
        return finish(run, 10).downtimeSeconds();
    }

    @Test
    void withNoFailuresAroundAnyRunOfMinFailuresCounts() {
        SyntheticRun clean = new SyntheticRun(1000, 100)
            .send(0, 4, t -> t >= 2 && t < 2.0045 ? Outcome.RESET : Outcome.SUCCESS, t -> "v1");
        assertThat(finish(clean, 4).downtimeSeconds()).isCloseTo(0.005, within(EXACT));

        // The same five failures amid 10 % errors could be chance (0.1^5 = 1e-5).
        SyntheticRun noisy = new SyntheticRun(1000, 100).send(0, 4, t -> {
            long i = Math.round(t * 1000);
            return i >= 2000 && i < 2005 || i % 10 == 7 ? Outcome.RESET : Outcome.SUCCESS;
        }, t -> "v1");
        assertThat(finish(noisy, 4).downtimeSeconds()).isZero();
    }

    @Test
    void aRunAtTheVeryStartIsJudgedOnTheSecondAfterItAlone() {
        Random random = new Random(4);
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 4, t -> t < 0.05 ? Outcome.REFUSED : scattered(random, 0.3), t -> "v1");
        Metrics m = finish(run, 4);
        assertThat(m.downtimeSeconds()).isCloseTo(0.05, within(2 * MS + EXACT));
        assertThat(run.recorder.outageWindows()).singleElement().extracting(Recorder.OutageWindow::startNanos)
            .isEqualTo(0L);
    }

    @Test
    void aRunAtTheVeryEndIsJudgedOnTheSecondBeforeItAndLastsToTheEnd() {
        Random random = new Random(5);
        SyntheticRun run = new SyntheticRun(1000, 100)
            .send(0, 4, t -> t >= 3.95 ? Outcome.TIMEOUT : scattered(random, 0.3), t -> "v1");
        Metrics m = finish(run, 4);
        assertThat(m.downtimeSeconds()).isCloseTo(0.05, within(2 * MS + EXACT));
        assertThat(run.recorder.outageWindows()).singleElement().extracting(Recorder.OutageWindow::endNanos)
            .isEqualTo(ns(4));
    }

    // ---- generator-limited requests ------------------------------------------------------------------------------

    /** An outage [2 s, 2.1 s) with one generator-limited request at {@code limitedAt} (between two requests). */
    private static SyntheticRun outageWithLimitedRequestAt(double limitedAt) {
        SyntheticRun run = new SyntheticRun(1000, 100);
        run.send(0, limitedAt, t -> t >= 2 && t < 2.1 ? Outcome.REFUSED : Outcome.SUCCESS, t -> "v1");
        run.limited(limitedAt - 0.0005, LimitCause.NO_CONNECTION);
        run.send(limitedAt, 4, t -> t >= 2 && t < 2.1 ? Outcome.REFUSED : Outcome.SUCCESS, t -> "v1");
        return run;
    }

    @Test
    void aGeneratorLimitedRequestInsideOrNextToAnOutageMakesItUnmeasurable() {
        // Inside; just before its first failure; between its last failure and the success that ends it.
        for (double at : new double[] {2.05, 2.0, 2.1}) {
            SyntheticRun run = outageWithLimitedRequestAt(at);
            Metrics m = finish(run, 4);
            assertThat(m.downtimeSeconds()).as("limited at %s", at).isZero();
            assertThat(m.longestOutageSeconds()).isZero();
            assertThat(m.unmeasurableOutages()).isEqualTo(1);
            assertThat(new MetricsCalculator(run.recorder, RunFacts.loadOnly(ns(4), 0.01)).outages())
                .containsExactly(new Outage(2.0, 2.1, true));
            assertThat(m.requests()).isEqualTo(4000);
            assertThat(m.generatorLimited().requests()).isEqualTo(1);
        }
    }

    @Test
    void aGeneratorLimitedRequestOneSuccessAwayLeavesTheOutageMeasured() {
        SyntheticRun run = outageWithLimitedRequestAt(2.102);
        Metrics m = finish(run, 4);
        assertThat(m.downtimeSeconds()).isCloseTo(0.1, within(EXACT));
        assertThat(m.unmeasurableOutages()).isZero();
    }

    @Test
    void generatorLimitedRequestsAreNotInTheFailureRatioAroundARun() {
        // 21 failures [1.999, 2.020) after a second of alternating errors (p = 0.5: 0.5^21 is chance), then a success
        // and a second of requests the generator could not make. Counted as requests, they would dilute p to 0.25.
        SyntheticRun run = new SyntheticRun(1000, 100).send(0, 2.021, t -> {
            long i = Math.round(t * 1000);
            return i >= 2000 && i < 2020 || i < 2000 && i % 2 == 1 ? Outcome.HTTP5XX : Outcome.SUCCESS;
        }, t -> "v1");
        for (int i = 2021; i < 3021; i++) {
            run.limited(i / 1000.0, LimitCause.EXPIRED_UNSENT);
        }
        run.sendOk(3.021, 4, "v1");
        Metrics m = finish(run, 4);
        assertThat(m.downtimeSeconds()).isZero();
        assertThat(m.unmeasurableOutages()).isZero();
        assertThat(m.generatorLimited().byCause().expiredUnsent()).isEqualTo(1000);
    }
}
