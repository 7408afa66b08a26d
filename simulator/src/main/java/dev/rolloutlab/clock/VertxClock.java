package dev.rolloutlab.clock;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Real time, with actions run on Vert.x timers (1 ms resolution). Every action runs on the one context the clock
 * was made with, so what runs on the clock (engine, strategy, analysis) is never run by two threads at once.
 */
public final class VertxClock implements Clock {
    private final Vertx vertx;
    private final Context context;
    private volatile long originNanoTime;

    /** @param originNanoTime the {@link System#nanoTime()} value that is time 0 of the run */
    public VertxClock(Vertx vertx, long originNanoTime) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.originNanoTime = originNanoTime;
    }

    public long originNanoTime() {
        return originNanoTime;
    }

    /** Moves time 0 forward by {@code nanos}: set-up done before load start is then in negative time. */
    public void rebase(long nanos) {
        originNanoTime += nanos;
    }

    /** Runs {@code action} on the clock's context as soon as possible. */
    public void run(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    @Override
    public long nanos() {
        return System.nanoTime() - originNanoTime;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        AtomicBoolean cancelled = new AtomicBoolean();
        long ms = delay.toMillis();
        context.runOnContext(v -> {
            if (ms < 1) {
                // Vert.x timers take at least 1 ms; "now" runs on this turn of the event loop instead.
                if (!cancelled.get()) {
                    action.run();
                }
                return;
            }
            // Set from the clock's context, the timer fires on it too.
            vertx.setTimer(ms, t -> {
                if (!cancelled.get()) {
                    action.run();
                }
            });
        });
        return () -> cancelled.set(true);
    }
}
