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
 * machine, or a loop held up), so what it then sees of its replicas is not their fault: a probe that timed out while
 * a loop lagged by a good part of the probe's timeout is not a failure of the probed replica. The log gets a {@code platform-lagging} event (how late, which
 * loop) at most once per {@link #REPORT_EVERY} while it lasts.
 *
 * <p>Ticks run on the loops themselves (Netty's scheduler, which Vert.x timers use too), so a late tick is exactly
 * what a late timer or a late read on that loop suffers. Thread-safe.
 */
final class LoopLag {
    static final Duration TICK = Duration.ofMillis(10);
    static final Duration BOUND = Duration.ofMillis(100);
    static final Duration REPORT_EVERY = Duration.ofSeconds(1);

    private final EventLog events;
    private final List<EventExecutor> loops = new ArrayList<>();
    /** Per loop, when its last tick ran. */
    private final AtomicLongArray lastTick;
    /** Per loop, when it last ran a tick late, and the worst lateness of the report interval up to then. */
    private final AtomicLongArray lateAt;
    private final AtomicLongArray lateBy;
    private final AtomicLong lastReported = new AtomicLong(Long.MIN_VALUE);
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

    /** Watches every loop of the groups; call {@link #start} to begin. */
    LoopLag(EventLog events, List<EventLoopGroup> groups) {
        this.events = events;
        groups.forEach(g -> g.forEach(loops::add));
        this.lastTick = new AtomicLongArray(loops.size());
        this.lateAt = new AtomicLongArray(loops.size());
        this.lateBy = new AtomicLongArray(loops.size());
    }

    synchronized void start() {
        long now = System.nanoTime();
        long tick = TICK.toNanos();
        for (int i = 0; i < loops.size(); i++) {
            int loop = i;
            lastTick.set(loop, now);
            lateAt.set(loop, now - REPORT_EVERY.toNanos() - 1);
            ticks.add(loops.get(loop).scheduleWithFixedDelay(() -> tick(loop, tick), tick, tick,
                TimeUnit.NANOSECONDS));
        }
    }

    synchronized void stop() {
        ticks.forEach(t -> t.cancel(false));
        ticks.clear();
    }

    private void tick(int loop, long tick) {
        long now = System.nanoTime();
        long late = now - lastTick.get(loop) - tick;
        lastTick.set(loop, now);
        if (late <= 0) {
            return;
        }
        // The worst lateness of the last report interval, as of its last tick: what a probe sent since then suffered.
        if (now - lateAt.get(loop) > REPORT_EVERY.toNanos() || late > lateBy.get(loop)) {
            lateBy.set(loop, late);
        }
        lateAt.set(loop, now);
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
     * Whether some loop lagged by more than {@code threshold} since {@code sinceNanoTime} (a {@link System#nanoTime()}
     * value): it ran a tick that much late, or it is overdue by that much now (it is held up).
     */
    boolean laggedSince(long sinceNanoTime, Duration threshold) {
        long now = System.nanoTime();
        long by = threshold.toNanos();
        for (int i = 0; i < lastTick.length(); i++) {
            if (lateAt.get(i) - sinceNanoTime >= 0 && lateBy.get(i) > by
                || now - lastTick.get(i) - TICK.toNanos() > by) {
                return true;
            }
        }
        return false;
    }
}
