package dev.rolloutlab.measure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds full outages in a stream of request outcomes given in intended-send order. A full outage is a run of
 * consecutive failures, with no success between them, that is too long to be chance: at least {@code minFailures}
 * failures k, and p^k &lt; {@code chance}, where p is the failure ratio of the requests in the second before the run
 * and the second after it (the run's own failures excluded; p = 0 when there are none). It lasts from the first
 * failure of the run to the next success (or to the end of the measured run when none follows).
 *
 * <p>Constant memory: a run of at least {@code minFailures} is a candidate, kept until the stream has passed its end
 * + 1 s, then decided from the recorder's per-bucket counters and dropped. At most one second of candidates is
 * pending, i.e. fewer than rate / (minFailures + 1), whatever the run's length.
 */
final class OutageTracker {
    /** Outages beyond this many are still counted in the totals, only not listed. */
    static final int MAX_LISTED = 10_000;
    private static final long SECOND = 1_000_000_000L;

    /** Requests of the service (generator-limited ones are not) with intended times in whole buckets. */
    interface Counts {
        /** @return {requests, failures} in buckets [fromBucket, toBucket) */
        long[] of(int fromBucket, int toBucket);
    }

    /** A run of at least minFailures failures, awaiting the second after it. */
    private record Candidate(long start, long end, long failures, boolean limited, long decideAt) {
    }

    private final int minFailures;
    private final double logChance;
    private final long bucketNanos;
    private final Counts counts;
    private long runStart;
    private long runLength;
    /** A generator-limited request came since the last success: the open run's bounds are unknown. */
    private boolean limitedInRun;
    private final ArrayDeque<Candidate> pending = new ArrayDeque<>();
    private int pendingPeak;
    private long totalNanos;
    private long longestNanos;
    private long count;
    private long unmeasurable;
    private final List<Recorder.OutageWindow> windows = new ArrayList<>();

    OutageTracker(int minFailures, double chance, long bucketNanos, Counts counts) {
        if (minFailures < 1) {
            throw new IllegalArgumentException("minFailures must be >= 1");
        }
        if (!(chance > 0 && chance < 1)) {
            throw new IllegalArgumentException("chance must be in (0, 1), got " + chance);
        }
        this.minFailures = minFailures;
        this.logChance = Math.log(chance);
        this.bucketNanos = bucketNanos;
        this.counts = counts;
    }

    void failure(long intendedNanos) {
        decideBefore(intendedNanos);
        if (runLength++ == 0) {
            runStart = intendedNanos;
        }
    }

    /**
     * A request the generator could not make on time: the service's state at that instant is unknown, so a run of
     * failures it touches (inside, or between the run and the successes around it) cannot be measured.
     */
    void limited(long intendedNanos) {
        decideBefore(intendedNanos);
        limitedInRun = true;
    }

    void success(long intendedNanos) {
        decideBefore(intendedNanos);
        closeRun(intendedNanos);
        limitedInRun = false;
    }

    /** Closes a run still open when the measured run ends at {@code endNanos} and decides every candidate. */
    void finish(long endNanos) {
        closeRun(endNanos);
        decideBefore(Long.MAX_VALUE);
    }

    private void closeRun(long endNanos) {
        if (runLength >= minFailures) {
            // The second after the run, rounded out to whole buckets, is in the counters once the stream passed it.
            long decideAt = ceilTo(endNanos + SECOND);
            pending.add(new Candidate(runStart, endNanos, runLength, limitedInRun, decideAt));
            pendingPeak = Math.max(pendingPeak, pending.size());
        }
        runLength = 0;
    }

    private void decideBefore(long streamNanos) {
        while (!pending.isEmpty() && pending.peek().decideAt() <= streamNanos) {
            decide(pending.poll());
        }
    }

    private void decide(Candidate c) {
        if (!tooLongForChance(c)) {
            return;
        }
        if (c.limited()) {
            unmeasurable++;
        } else {
            long length = Math.max(0, c.end() - c.start());
            totalNanos += length;
            longestNanos = Math.max(longestNanos, length);
            count++;
        }
        if (windows.size() < MAX_LISTED) {
            windows.add(new Recorder.OutageWindow(c.start(), c.end(), c.limited()));
        }
    }

    /**
     * p^k &lt; chance, with p from the buckets of [start − 1 s, end + 1 s) minus the run's own k failures: between
     * start and end there is nothing else of the service, as the run is consecutive in intended-send order.
     */
    private boolean tooLongForChance(Candidate c) {
        long[] around = counts.of((int) (Math.max(0, c.start() - SECOND) / bucketNanos),
            (int) (c.decideAt() / bucketNanos));
        long requests = around[0] - c.failures();
        long failures = around[1] - c.failures();
        if (requests <= 0 || failures <= 0) {
            return true;
        }
        return c.failures() * Math.log(failures / (double) requests) < logChance;
    }

    private long ceilTo(long nanos) {
        return -Math.floorDiv(-nanos, bucketNanos) * bucketNanos;
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

    /** The most candidate runs pending at once: bounded by one second of requests, never by the run's length. */
    int pendingPeak() {
        return pendingPeak;
    }

    /** Each outage, measured or not, in order. */
    List<Recorder.OutageWindow> windows() {
        return windows;
    }
}
