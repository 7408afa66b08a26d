package dev.rolloutlab.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.ManualClock;
import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lag bookkeeping, fed ticks at chosen times: which timed-out probes a lag excuses. */
class LoopLagTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TICK = LoopLag.TICK.toNanos();

    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final LoopLag lag = new LoopLag(new EventLog(new ManualClock()), List.of(group), Duration.ofMillis(50));
    private long now = System.nanoTime();

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void ticksLateByLessThanTheSignificantLagExcuseNothing() {
        long sent = now;
        tick(TICK + 49 * MS);
        for (int i = 0; i < 100; i++) {
            tick(TICK + 3 * MS);
        }
        assertThat(lag.laggedSince(sent, now)).isFalse();
    }

    @Test
    void aLateTickExcusesTheProbesItOverlapped() {
        long sent = now;
        tick(TICK + 200 * MS);
        assertThat(lag.laggedSince(sent, now)).isTrue();
        assertThat(lag.laggedSince(now - 300 * MS, now)).isTrue();
    }

    /** Every tick of a busy machine is a little late: that must not keep an old lag excusing new probes forever. */
    @Test
    void aLagLongPastExcusesNoProbeSentAfterIt() {
        tick(TICK + 200 * MS);
        tick(TICK);
        long sent = now;
        for (int i = 0; i < 200; i++) {
            tick(TICK + MS);
        }
        assertThat(lag.laggedSince(sent, now)).isFalse();
    }

    @Test
    void aLoopHeldUpNowExcusesTheProbesOutMeanwhile() {
        long sent = now;
        tick(TICK);
        assertThat(lag.laggedSince(sent, now + TICK + 51 * MS)).isTrue();
        assertThat(lag.laggedSince(sent, now + TICK + 49 * MS)).isFalse();
    }

    private void tick(long after) {
        now += after;
        lag.ticked(0, now);
    }
}
