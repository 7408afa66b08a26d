package dev.rolloutlab.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds full outages in a stream of request outcomes given in intended-send order: a run of at least
 * {@code minFailures} consecutive failures with no success between them, lasting from the first failure of the
 * run to the next success (or to the end of the measured run when no success follows).
 */
final class OutageTracker {
    /** Windows beyond this many are still counted in the totals, only not listed. */
    static final int MAX_LISTED = 10_000;

    private final int minFailures;
    private long runStart;
    private long runLength;
    private long totalNanos;
    private long longestNanos;
    private long count;
    /** A generator-limited request came since the last success: the open run's bounds are unknown. */
    private boolean limitedInRun;
    private long unmeasurable;
    private final List<long[]> windows = new ArrayList<>();

    OutageTracker(int minFailures) {
        if (minFailures < 1) {
            throw new IllegalArgumentException("minFailures must be >= 1");
        }
        this.minFailures = minFailures;
    }

    void failure(long intendedNanos) {
        if (runLength++ == 0) {
            runStart = intendedNanos;
        }
    }

    /**
     * A request the generator could not make on time: the service's state at that instant is unknown, so a run of
     * failures around it cannot be measured.
     */
    void limited(long intendedNanos) {
        limitedInRun = true;
    }

    void success(long intendedNanos) {
        closeRun(intendedNanos);
    }

    /** Closes a run still open when the measured run ends at {@code endNanos}. */
    void finish(long endNanos) {
        closeRun(endNanos);
    }

    private void closeRun(long endNanos) {
        if (runLength >= minFailures && limitedInRun) {
            unmeasurable++;
        } else if (runLength >= minFailures) {
            long length = Math.max(0, endNanos - runStart);
            totalNanos += length;
            longestNanos = Math.max(longestNanos, length);
            count++;
            if (windows.size() < MAX_LISTED) {
                windows.add(new long[] {runStart, endNanos});
            }
        }
        runLength = 0;
        limitedInRun = false;
    }

    /** Outages that overlapped requests the generator could not make: not measured, not in the totals. */
    long unmeasurable() {
        return unmeasurable;
    }

    long totalNanos() {
        return totalNanos;
    }

    long longestNanos() {
        return longestNanos;
    }

    long count() {
        return count;
    }

    /** Each outage as {start, end} in nanoseconds since load start, in order. */
    List<long[]> windows() {
        return windows;
    }
}
