package dev.rolloutlab.metrics;

import dev.rolloutlab.measure.LimitCause;
import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import java.util.function.DoubleFunction;

/** Feeds a recorder a request stream with exactly known times, outcomes, versions and users. */
final class SyntheticRun {
    static final long NS = 1_000_000_000L;

    final Recorder recorder;
    final double rate;
    private long seq;

    SyntheticRun(double rate, int users) {
        this.rate = rate;
        this.recorder = new Recorder(10_000_000L, 5, users, 1 << 16, 10 * NS);
    }

    /** One request every 1/rate seconds in [from, to); latency 1 ms; user = sequence number modulo users. */
    SyntheticRun send(double from, double to, DoubleFunction<Outcome> outcome, DoubleFunction<String> version) {
        long first = Math.round(from * rate);
        long last = Math.round(to * rate);
        for (long i = first; i < last; i++) {
            double t = i / rate;
            recorder.record(seq++, Math.round(t * NS), 1_000_000L, outcome.apply(t), version.apply(t), (int) i);
        }
        return this;
    }

    SyntheticRun sendOk(double from, double to, String version) {
        return send(from, to, t -> Outcome.SUCCESS, t -> version);
    }

    /** One request at {@code t} that the generator could not make on time. */
    SyntheticRun limited(double t, LimitCause cause) {
        recorder.generatorLimited(seq++, ns(t), cause);
        return this;
    }

    long nextSeq() {
        return seq++;
    }

    static long ns(double seconds) {
        return Math.round(seconds * NS);
    }
}
