package dev.rolloutlab.platform.local;

import dev.rolloutlab.engine.Clock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual time for a platform whose probe answers and container exits arrive on Vert.x threads: like
 * {@link dev.rolloutlab.engine.ManualClock}, time moves only in {@link #advance}, but scheduling is thread-safe and
 * due actions run outside the clock's lock, so an action may take the platform's monitor while another thread holding
 * it schedules.
 */
final class SteppedClock implements Clock {
    private record Task(long due, long order, Runnable action, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
        (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private long now;
    private long order;

    @Override
    public synchronized long nanos() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + Math.max(0, delay.toNanos()), order++, action, cancelled));
        return () -> {
            synchronized (this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code d}, running what falls due in time order, including what those actions schedule. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = tasks.peek();
                if (t == null || t.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = t.due;
                if (t.cancelled[0]) {
                    continue;
                }
            }
            t.action.run();
        }
    }
}
