package dev.rolloutlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.bench.LocalPlatformBench.Criterion;
import dev.rolloutlab.bench.LocalPlatformBench.Trial;
import org.junit.jupiter.api.Test;

/** Each edge of "sustained": send lag, share of the plan sent, errors, p99 against the unloaded p99. */
class LocalPlatformBenchTest {
    private static final Criterion C = Criterion.DEFAULT;
    private static final double UNLOADED_P99 = 2;

    private static Trial trial(double achieved, double errorRate, double sendLagMs, double p99Ms) {
        return new Trial(10_000, achieved, errorRate, sendLagMs, 1, p99Ms, 0, 0);
    }

    @Test
    void aTrialAtEveryBoundIsSustained() {
        assertThat(trial(9900, 0.0099, 10, 20).sustained(C, UNLOADED_P99)).isTrue();
    }

    @Test
    void aTrialPastAnyBoundIsNot() {
        assertThat(trial(9899, 0, 0, 2).sustained(C, UNLOADED_P99)).as("under 99 % of the plan sent").isFalse();
        assertThat(trial(10_000, 0.01, 0, 2).sustained(C, UNLOADED_P99)).as("1 % errors").isFalse();
        assertThat(trial(10_000, 0, 10.1, 2).sustained(C, UNLOADED_P99)).as("send lag over 10 ms").isFalse();
        assertThat(trial(10_000, 0, 0, 20.1).sustained(C, UNLOADED_P99)).as("p99 over 10x unloaded").isFalse();
    }
}
