package dev.rolloutlab.platform.local;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.clock.EventLog;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late the platform's own event loops run: a tick every {@link #TICK} on each loop measures how much later than
 * due it ran. A loop late by more than {@link #BOUND} means the platform itself cannot keep up (too much load for this
 * machine, or a loop held up); a loop late by more than the {@code significant} lag given at construction (a good
 * part of a probe's timeout) makes what the platform saw of its replicas meanwhile not their fault: a probe that
 * timed out across such a lag is not a failure of the probed replica. The log gets a {@code platform-lagging} event
 * (how late, which loop) at most once per {@link #REPORT_EVERY} while it lasts.
 *
 * <p>Ticks run on the loops themselves (Netty's scheduler, which Vert.x timers use too), so a late tick is exactly
 * what a late timer or a late read on that loop suffers. Thread-safe.
 */
final class LoopLag {
    static final Duration TICK = Duration.ofMillis(10);
    static final Duration BOUND = Duration.ofMillis(100);
    static final Duration REPORT_EVERY = Duration.ofSeconds(1);

    private final EventLog events;
    private final long significant;
    private final List<EventExecutor> loops = new ArrayList<>();
    /** Per loop, when its last tick ran. */
    private final AtomicLongArray lastTick;
    /**
     * Per loop, when it last ran a tick more than {@link #significant} late: only that episode's end matters, so a
     * lag long past does not excuse a probe sent after it, however many slightly late ticks follow.
     */
    private final AtomicLongArray significantlyLateAt;
    private final AtomicLong lastReported = new AtomicLong(Long.MIN_VALUE);
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

    /** Watches every loop of the groups; call {@link #start} to begin. */
    LoopLag(EventLog events, List<EventLoopGroup> groups, Duration significant) {
        this.events = events;
        this.significant = significant.toNanos();
        groups.forEach(g -> g.forEach(loops::add));
        this.lastTick = new AtomicLongArray(loops.size());
        this.significantlyLateAt = new AtomicLongArray(loops.size());
        reset(System.nanoTime());
    }

    synchronized void start() {
        reset(System.nanoTime());
        for (int i = 0; i < loops.size(); i++) {
            int loop = i;
            ticks.add(loops.get(loop).scheduleWithFixedDelay(() -> ticked(loop, System.nanoTime()), TICK.toNanos(),
                TICK.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    synchronized void stop() {
        ticks.forEach(t -> t.cancel(false));
        ticks.clear();
    }

    private void reset(long now) {
        for (int i = 0; i < loops.size(); i++) {
            lastTick.set(i, now);
            significantlyLateAt.set(i, now - 1);
        }
    }

    /** Loop {@code loop} ran its tick at {@code now} (a {@link System#nanoTime()} value). */
    void ticked(int loop, long now) {
        long late = now - lastTick.getAndSet(loop, now) - TICK.toNanos();
        if (late > significant) {
            significantlyLateAt.set(loop, now);
        }
        if (late > BOUND.toNanos()) {
            long reported = lastReported.get();
            if ((reported == Long.MIN_VALUE || now - reported >= REPORT_EVERY.toNanos())
                && lastReported.compareAndSet(reported, now)) {
                events.add(EventType.PLATFORM_LAGGING, "lateMs", Math.round(late / 1e5) / 10.0, "loop",
                    Thread.currentThread().getName(), "boundMs", BOUND.toMillis());
            }
        }
    }

    /**
     * Whether some loop lagged by more than the significant lag since {@code sinceNanoTime} (a
     * {@link System#nanoTime()} value): it ran a tick that late since then, or it is overdue by that much at
     * {@code now} (it is held up).
     */
    boolean laggedSince(long sinceNanoTime, long now) {
        for (int i = 0; i < lastTick.length(); i++) {
            boolean lateTick = significantlyLateAt.get(i) - sinceNanoTime >= 0;
            if (lateTick || now - lastTick.get(i) - TICK.toNanos() > significant) {
                return true;
            }
        }
        return false;
    }
}
