package dev.rolloutlab.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Requests, failures and the latency of successful requests of each kind of a request mix, over the whole run: two
 * counters and one histogram per kind (kinds are few, at most {@link #MAX}), so memory does not grow with the run.
 * Not thread-safe: the {@link Recorder} guards it.
 */
final class ByRequestName {
    /** Kinds a mix may have: each costs a histogram, and a report lists one line per kind. */
    static final int MAX = 20;

    private final List<String> names;
    private final long[] requests;
    private final long[] failed;
    private final Histogram[] latency;

    /** @param maxMicros the largest latency tracked exactly */
    ByRequestName(List<String> names, long maxMicros) {
        if (names.isEmpty() || names.size() > MAX) {
            throw new IllegalArgumentException("a mix has 1 to " + MAX + " kinds, got " + names.size());
        }
        this.names = List.copyOf(names);
        this.requests = new long[names.size()];
        this.failed = new long[names.size()];
        this.latency = new Histogram[names.size()];
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new Histogram(maxMicros, 3);
        }
    }

    /** @param micros the latency, within the tracked range; read only when the request succeeded */
    void record(int kind, boolean succeeded, long micros) {
        requests[kind]++;
        if (succeeded) {
            latency[kind].recordValue(micros);
        } else {
            failed[kind]++;
        }
    }

    /** Each kind's totals, in the mix's order; kinds without a request are listed too, with zeros. */
    Map<String, Recorder.NameTotals> totals() {
        Map<String, Recorder.NameTotals> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), new Recorder.NameTotals(requests[i], failed[i], latency[i].copy()));
        }
        return m;
    }
}
