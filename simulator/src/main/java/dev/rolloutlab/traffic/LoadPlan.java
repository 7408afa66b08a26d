package dev.rolloutlab.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each request of an open-model load is meant to go out. The rate is piecewise linear (constant, or ramps
 * from one rate to the next), so request {@code i}'s intended time is where the integral of the rate reaches
 * {@code i}: computed exactly, never by accumulating rounding over millions of requests.
 */
public final class LoadPlan {
    private static final double NANOS = 1e9;

    /** A stage that goes linearly from {@code fromRate} to {@code toRate} over {@code seconds}. */
    private record Stage(double start, double seconds, double fromRate, double toRate, double requestsBefore) {
        double requests() {
            return (fromRate + toRate) / 2 * seconds;
        }

        /** Seconds into the stage at which {@code n} of its requests have been planned. */
        double timeOf(double n) {
            double slope = (toRate - fromRate) / seconds;
            if (Math.abs(slope) < 1e-12) {
                return n / fromRate;
            }
            // fromRate·x + slope·x²/2 = n, solved in the form that stays exact when slope is small.
            return 2 * n / (fromRate + Math.sqrt(fromRate * fromRate + 2 * slope * n));
        }
    }

    /** One step of a ramped load: go to {@code rate} (requests per second) over {@code duration}. */
    public record RateRamp(double rate, Duration duration) {
    }

    private final List<Stage> stages;
    private final double durationSeconds;
    private final long requests;

    private LoadPlan(List<Stage> stages, double durationSeconds) {
        this.stages = stages;
        this.durationSeconds = durationSeconds;
        Stage last = stages.get(stages.size() - 1);
        double planned = last.requestsBefore() + last.requests();
        this.requests = (long) Math.ceil(planned - 1e-9);
    }

    public static LoadPlan constant(double rate, Duration duration) {
        return ramps(rate, List.of(), duration);
    }

    /**
     * @param startRate rate at time 0; each ramp goes linearly from the previous rate to its own
     * @param duration  total length; after the last ramp its rate holds until then
     */
    public static LoadPlan ramps(double startRate, List<RateRamp> ramps, Duration duration) {
        double total = seconds(duration);
        if (!(total > 0)) {
            throw new IllegalArgumentException("load duration must be > 0");
        }
        List<Stage> stages = new ArrayList<>();
        double t = 0;
        double rate = startRate;
        double before = 0;
        for (RateRamp ramp : ramps) {
            double length = Math.min(seconds(ramp.duration()), total - t);
            if (length <= 0) {
                break;
            }
            Stage s = new Stage(t, length, rate, ramp.rate(), before);
            stages.add(s);
            before += s.requests();
            t += length;
            rate = ramp.rate();
        }
        if (t < total) {
            stages.add(new Stage(t, total - t, rate, rate, before));
        }
        return new LoadPlan(List.copyOf(stages), total);
    }

    /** Requests the plan sends in all: those whose intended time falls before the end of the load. */
    public long requests() {
        return requests;
    }

    public Duration duration() {
        return Duration.ofNanos(Math.round(durationSeconds * NANOS));
    }

    /** Average planned rate over the whole load. */
    public double averageRate() {
        return requests / durationSeconds;
    }

    /** Highest rate the plan reaches. */
    public double peakRate() {
        return stages.stream().mapToDouble(s -> Math.max(s.fromRate(), s.toRate())).max().orElse(0);
    }

    /** The planned rate in requests per second at {@code seconds} since load start. */
    public double rateAt(double seconds) {
        for (Stage s : stages) {
            if (seconds < s.start() + s.seconds()) {
                double into = Math.max(0, seconds - s.start());
                return s.fromRate() + (s.toRate() - s.fromRate()) * into / s.seconds();
            }
        }
        return stages.get(stages.size() - 1).toRate();
    }

    /** Intended send time of request {@code i} in nanoseconds since load start. Thread-safe. */
    public long intendedNanos(long i) {
        int stage = 0;
        while (stage + 1 < stages.size() && i >= stages.get(stage + 1).requestsBefore()) {
            stage++;
        }
        Stage s = stages.get(stage);
        double into = s.timeOf(i - s.requestsBefore());
        return Math.round((s.start() + Math.min(into, s.seconds())) * NANOS);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / NANOS;
    }
}
