package dev.rolloutlab.clock;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual time that moves only when told to: {@link #advance} runs every action due, in time order (ties in the
 * order they were scheduled), each seeing {@link #nanos()} at its own due time. Thread-safe, and due actions run
 * outside its lock, so a platform whose answers arrive on other threads can schedule while an action holds a lock of
 * the platform's.
 */
public final class ManualClock implements Clock {
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

    /** Moves time forward by {@code d}, running what falls due, including actions those actions schedule. */
    public void advance(Duration d) {
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

    /** Actions scheduled and not yet run or cancelled. */
    public synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
