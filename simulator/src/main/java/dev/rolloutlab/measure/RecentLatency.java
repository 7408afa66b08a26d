package dev.rolloutlab.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one version's successful requests since the last time they were taken, by completion time: HdrHistogram's
 * interval recorder, whose swap lets recording go on while one consumer (the analysis) takes an interval.
 */
final class RecentLatency {
    private final Recorder interval;

    /** @param maxMicros the largest latency tracked, in microseconds */
    RecentLatency(long maxMicros) {
        interval = new Recorder(maxMicros, 3);
    }

    void record(long micros) {
        interval.recordValue(micros);
    }

    /** Replaces {@code into} with the latencies recorded since the previous call. */
    void takeInto(Histogram into) {
        interval.getIntervalHistogramInto(into);
    }
}
