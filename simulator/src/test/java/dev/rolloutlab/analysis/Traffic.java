package dev.rolloutlab.analysis;

import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * An open-model request stream on a {@link ManualClock}: request i is sent at i / rate and recorded when it
 * completes (checked every millisecond), as the generator records it, so requests in flight are not seen yet.
 */
final class Traffic {
    /** How the service answered request {@code i}, sent at {@code t} seconds. */
    interface Backend {
        Answer answer(long i, double t);
    }

    /**
     * {@code version} null: no response reached a version (refused, timeout); {@code routedVersion}: the version a
     * proxy routed it to when it answered itself.
     */
    record Answer(String version, Outcome outcome, double latencyMs, String routedVersion) {
        Answer(String version, Outcome outcome, double latencyMs) {
            this(version, outcome, latencyMs, null);
        }

        static Answer ok(String version, double latencyMs) {
            return new Answer(version, Outcome.SUCCESS, latencyMs);
        }

        static Answer fail(String version) {
            return new Answer(version, Outcome.HTTP5XX, 1);
        }

        /** The proxy's own 502 on the way to {@code routedVersion}: no version served it. */
        static Answer proxyFailure(String routedVersion) {
            return new Answer(null, Outcome.HTTP5XX, 1, routedVersion);
        }
    }

    private record InFlight(long seq, long intended, long done, Answer answer) {
    }

    private static final Duration TICK = Duration.ofMillis(1);
    private static final long NS = 1_000_000_000L;

    final Recorder recorder = new Recorder(10_000_000L, 5, 1000, 1 << 16, 10 * NS);
    private final ManualClock clock;
    private final double rate;
    private final Backend backend;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(Comparator.comparingLong(InFlight::done));
    private long next;

    Traffic(ManualClock clock, double rate, Backend backend) {
        this.clock = clock;
        this.rate = rate;
        this.backend = backend;
        tick();
    }

    private void tick() {
        long now = clock.nanos();
        for (; Math.round(next * NS / rate) <= now; next++) {
            long intended = Math.round(next * NS / rate);
            Answer a = backend.answer(next, intended / (double) NS);
            inFlight.add(new InFlight(next, intended, intended + Math.round(a.latencyMs() * 1e6), a));
        }
        while (!inFlight.isEmpty() && inFlight.peek().done() <= now) {
            InFlight f = inFlight.poll();
            recorder.record(f.seq(), f.intended(), f.done() - f.intended(), f.answer().outcome(), f.answer().version(),
                f.answer().routedVersion(), (int) f.seq());
        }
        clock.schedule(TICK, this::tick);
    }
}
