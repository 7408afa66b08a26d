package dev.rolloutlab.measure;

/**
 * Puts request completions back into intended-send order. Requests complete out of order (a timeout ends seconds
 * after later successes), yet an outage is defined on the order requests were meant to be sent in. Sequence
 * numbers are dense (the generator numbers every planned request, dropped ones included), so a ring buffer of
 * the in-flight span suffices: it holds {@code capacity} requests, sized by the recorder to rate × (timeout + slack).
 */
final class InOrderStream {
    static final byte PENDING = 0;
    static final byte SUCCEEDED = 1;
    static final byte FAILED = 2;
    static final byte SKIPPED = 3;
    /** The generator could not make the request on time (see {@link LimitCause}). */
    static final byte LIMITED = 4;

    /** Receives requests in sequence order; a request given up on arrives {@link #SKIPPED} with time 0. */
    interface Sink {
        void next(long seq, long intendedNanos, byte state);
    }

    private final byte[] state;
    private final long[] intended;
    private final int mask;
    private final Sink sink;
    private long cursor;
    private long highest = -1;
    private long forced;

    InOrderStream(int capacity, Sink sink) {
        int size = Integer.highestOneBit(Math.max(capacity, 16) - 1) << 1;
        this.state = new byte[size];
        this.intended = new long[size];
        this.mask = size - 1;
        this.sink = sink;
    }

    void complete(long seq, long intendedNanos, byte outcome) {
        if (seq < cursor) {
            return; // already passed by a forced advance
        }
        while (seq - cursor > mask) {
            // The oldest request has been in flight longer than the window allows; give up waiting for it.
            passOldest();
        }
        highest = Math.max(highest, seq);
        int slot = (int) (seq & mask);
        state[slot] = outcome;
        intended[slot] = intendedNanos;
        drain();
    }

    /** Passes on everything completed so far; requests still in flight are given up as skipped. */
    void flush() {
        while (cursor <= highest) {
            passOldest();
        }
    }

    private void passOldest() {
        int slot = (int) (cursor & mask);
        if (state[slot] == PENDING) {
            forced++;
            intended[slot] = 0;
            emit(slot, SKIPPED);
        } else {
            emit(slot, state[slot]);
        }
    }

    private void drain() {
        while (true) {
            int slot = (int) (cursor & mask);
            if (state[slot] == PENDING) {
                return;
            }
            emit(slot, state[slot]);
        }
    }

    private void emit(int slot, byte outcome) {
        long t = intended[slot];
        state[slot] = PENDING;
        sink.next(cursor, t, outcome);
        cursor++;
    }

    /** Sequence number of the oldest request not yet passed on. */
    long cursor() {
        return cursor;
    }

    /** Requests passed over because they stayed in flight longer than the window. */
    long forced() {
        return forced;
    }
}
