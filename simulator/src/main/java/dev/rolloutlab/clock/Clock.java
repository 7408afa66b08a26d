package dev.rolloutlab.clock;

import java.time.Duration;

/**
 * Time as the engine, strategies and analysis see it: nanoseconds since the run's origin (load start), and
 * actions scheduled on it. Nothing that runs on a clock sleeps, so the same code runs in real time
 * ({@link VertxClock}) and in virtual time ({@link ManualClock}).
 */
public interface Clock {
    /** Nanoseconds since the run's origin. */
    long nanos();

    /** Runs {@code action} once, {@code delay} from now. */
    Cancellable schedule(Duration delay, Runnable action);

    /** Runs {@code action} at {@code nanos} since the origin, or at once when that has passed. */
    default Cancellable at(long nanos, Runnable action) {
        return schedule(Duration.ofNanos(Math.max(0, nanos - nanos())), action);
    }

    default double seconds() {
        return nanos() / 1e9;
    }

    /** A scheduled action that has not run yet can still be called off. */
    interface Cancellable {
        void cancel();
    }
}
