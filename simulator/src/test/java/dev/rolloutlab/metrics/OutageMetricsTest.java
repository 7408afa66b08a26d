package dev.rolloutlab.metrics;

import static dev.rolloutlab.metrics.SyntheticRun.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.reports.Metrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutageMetricsTest {
    private static final double EXACT = 1e-9;

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
        assertThat(run.recorder.outageWindows()).hasSize(2);
    }
}
