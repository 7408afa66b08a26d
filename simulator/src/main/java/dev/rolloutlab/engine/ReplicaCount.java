package dev.rolloutlab.engine;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Event;

/**
 * Replicas started and not yet terminated, counted from the platform's {@code replica-started} and
 * {@code replica-terminated} events: what the run pays for, and its peak for {@code resourceOverhead}.
 */
final class ReplicaCount {
    private int running;
    private int peak;

    synchronized void on(Event e) {
        if (e.is(EventType.REPLICA_STARTED)) {
            peak = Math.max(peak, ++running);
        } else if (e.is(EventType.REPLICA_TERMINATED)) {
            running--;
        }
    }

    synchronized int running() {
        return running;
    }

    /** The highest count since the last {@link #resetPeak()}. */
    synchronized int peak() {
        return peak;
    }

    /** Starts tracking the peak afresh from the current count (at rollout start). */
    synchronized void resetPeak() {
        peak = running;
    }
}
