package dev.rolloutlab.engine;

import io.vertx.core.Vertx;
import java.time.Duration;

/** Real time, with actions run on Vert.x timers (1 ms resolution). */
public final class VertxClock implements Clock {
    private final Vertx vertx;
    private volatile long originNanoTime;

    /** @param originNanoTime the {@link System#nanoTime()} value that is time 0 of the run */
    public VertxClock(Vertx vertx, long originNanoTime) {
        this.vertx = vertx;
        this.originNanoTime = originNanoTime;
    }

    public long originNanoTime() {
        return originNanoTime;
    }

    /** Moves time 0 forward by {@code nanos}: set-up done before load start is then in negative time. */
    public void rebase(long nanos) {
        originNanoTime += nanos;
    }

    @Override
    public long nanos() {
        return System.nanoTime() - originNanoTime;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        long ms = delay.toMillis();
        if (ms < 1) {
            // Vert.x timers take at least 1 ms; "now" runs on the next turn of the event loop instead.
            boolean[] cancelled = {false};
            vertx.runOnContext(v -> {
                if (!cancelled[0]) {
                    action.run();
                }
            });
            return () -> cancelled[0] = true;
        }
        long id = vertx.setTimer(ms, t -> action.run());
        return () -> vertx.cancelTimer(id);
    }
}
