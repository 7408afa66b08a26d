package dev.rolloutlab.measure;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/** Latency percentiles of each second of the run: four floats a second, whatever the request rate. */
public final class SecondLatencies {
    /** Percentiles of one second's successful requests, in milliseconds. */
    public record Summary(double p50, double p95, double p99, double max) {
    }

    private float[] values = new float[4 * 64];

    SecondLatencies() {
        Arrays.fill(values, Float.NaN);
    }

    void set(int second, Histogram microseconds) {
        int i = 4 * second;
        if (i + 3 >= values.length) {
            int old = values.length;
            values = Arrays.copyOf(values, Math.max(i + 4, old * 2));
            Arrays.fill(values, old, values.length, Float.NaN);
        }
        values[i] = ms(microseconds.getValueAtPercentile(50));
        values[i + 1] = ms(microseconds.getValueAtPercentile(95));
        values[i + 2] = ms(microseconds.getValueAtPercentile(99));
        values[i + 3] = ms(microseconds.getMaxValue());
    }

    Summary get(int second) {
        int i = 4 * second;
        if (second < 0 || i + 3 >= values.length || Float.isNaN(values[i])) {
            return null;
        }
        return new Summary(values[i], values[i + 1], values[i + 2], values[i + 3]);
    }

    private static float ms(long micros) {
        return micros / 1000f;
    }
}
