package dev.rolloutlab.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlanTest {
    @Test
    void constantRateSpacesRequestsEvenly() {
        LoadPlan plan = LoadPlan.constant(1000, Duration.ofSeconds(8));
        assertThat(plan.requests()).isEqualTo(8000);
        assertThat(plan.intendedNanos(0)).isZero();
        assertThat(plan.intendedNanos(1)).isEqualTo(1_000_000);
        assertThat(plan.intendedNanos(7999)).isEqualTo(7_999_000_000L);
        assertThat(plan.averageRate()).isEqualTo(1000);
    }

    @Test
    void rampFromZeroPlansTheIntegralOfTheRate() {
        // 0 → 100/s over 10 s plans 500 requests, then 100/s for 10 s plans 1000 more.
        LoadPlan plan = LoadPlan.ramps(0, List.of(new LoadPlan.RateRamp(100, Duration.ofSeconds(10))), Duration.ofSeconds(20));
        assertThat(plan.requests()).isEqualTo(1500);
        assertThat(plan.peakRate()).isEqualTo(100);
        // 125 requests are planned by t = 5 s (5²·10/2), 500 by 10 s.
        assertThat(plan.intendedNanos(125) / 1e9).isCloseTo(5.0, within(1e-9));
        assertThat(plan.intendedNanos(500) / 1e9).isCloseTo(10.0, within(1e-9));
        assertThat(plan.intendedNanos(600) / 1e9).isCloseTo(11.0, within(1e-9));
        long previous = -1;
        for (long i = 0; i < plan.requests(); i++) {
            long t = plan.intendedNanos(i);
            assertThat(t).isGreaterThan(previous).isLessThan(20_000_000_000L);
            previous = t;
        }
    }

    @Test
    void rampDownAndHold() {
        LoadPlan plan = LoadPlan.ramps(200, List.of(new LoadPlan.RateRamp(100, Duration.ofSeconds(2)),
            new LoadPlan.RateRamp(100, Duration.ofSeconds(1))), Duration.ofSeconds(4));
        assertThat(plan.requests()).isEqualTo(300 + 100 + 100);
        assertThat(plan.intendedNanos(300) / 1e9).isCloseTo(2.0, within(1e-9));
    }
}
