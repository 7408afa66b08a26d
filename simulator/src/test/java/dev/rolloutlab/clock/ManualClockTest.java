package dev.rolloutlab.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    @Test
    void advanceRunsDueActionsInTimeOrderAtTheirOwnTime() {
        ManualClock clock = new ManualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofMillis(300), () -> ran.add("b@" + clock.nanos()));
        clock.schedule(Duration.ofMillis(100), () -> {
            ran.add("a@" + clock.nanos());
            clock.schedule(Duration.ofMillis(50), () -> ran.add("a2@" + clock.nanos()));
        });
        clock.schedule(Duration.ofMillis(300), () -> ran.add("c@" + clock.nanos()));
        Clock.Cancellable never = clock.schedule(Duration.ofMillis(200), () -> ran.add("cancelled"));
        never.cancel();

        clock.advance(Duration.ofMillis(299));
        assertThat(ran).containsExactly("a@100000000", "a2@150000000");
        clock.advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly("a@100000000", "a2@150000000", "b@300000000", "c@300000000");
        assertThat(clock.nanos()).isEqualTo(300_000_000L);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void atSchedulesAtAnAbsoluteTime() {
        ManualClock clock = new ManualClock();
        clock.advance(Duration.ofSeconds(1));
        List<Long> ran = new ArrayList<>();
        clock.at(2_500_000_000L, () -> ran.add(clock.nanos()));
        clock.at(0, () -> ran.add(clock.nanos()));
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly(1_000_000_000L, 2_500_000_000L);
    }
}
