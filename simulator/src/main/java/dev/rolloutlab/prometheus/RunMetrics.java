package dev.rolloutlab.prometheus;

import dev.rolloutlab.measure.Recorder.LatencyBuckets;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The run's metrics in Prometheus' model, built on each scrape from the latest {@link RunSnapshot}: every sample is
 * labelled with the scenario and the strategy, so that runs side by side in one Prometheus stay apart.
 */
final class RunMetrics implements MultiCollector {
    /** Classic buckets for HTTP latencies, from a loopback hop (0.5 ms) to a request near a 10 s timeout. */
    static final double[] LATENCY_BOUNDS_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 5, 10};
    static final long[] LATENCY_BOUNDS_MICROS = Arrays.stream(LATENCY_BOUNDS_SECONDS)
        .mapToLong(s -> Math.round(s * 1e6)).toArray();
    private static final double[] BUCKET_BOUNDS = Arrays.copyOf(LATENCY_BOUNDS_SECONDS,
        LATENCY_BOUNDS_SECONDS.length + 1);

    static {
        BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1] = Double.POSITIVE_INFINITY;
    }

    private final Labels run;
    private final Supplier<RunSnapshot> latest;

    RunMetrics(String scenario, String strategy, Supplier<RunSnapshot> latest) {
        this.run = Labels.of("scenario", scenario, "strategy", strategy);
        this.latest = latest;
    }

    @Override
    public MetricSnapshots collect() {
        RunSnapshot s = latest.get();
        return MetricSnapshots.of(
            counter("rolloutlab_requests", "Requests sent by the load (excluding those the generator could not "
                + "make), by the version that served them (unknown: reached none).", "version", s.requestsByVersion()),
            counter("rolloutlab_failed_requests", "Failed requests by the version that served them (unknown: "
                + "reached none).", "version", s.failedByVersion()),
            counter("rolloutlab_failures", "Failed requests by cause, as result.json's failuresByCause.", "cause",
                s.failuresByCause()),
            counter("rolloutlab_generator_limited_requests", "Requests the generator could not make on time, by "
                + "cause: the generator's failures, in no service metric.", "cause", s.generatorLimitedByCause()),
            gauge("rolloutlab_generator_send_lag_seconds", "The generator's largest send lag (actual minus intended "
                + "send time) over the last second.", Unit.SECONDS, Map.of("", s.sendLagSeconds()), null),
            latency(s.latencyByVersion()),
            gauge("rolloutlab_replicas", "Replicas started and not yet terminated, by version, from the platform's "
                + "replica events.", null, doubles(s.replicasByVersion()), "version"),
            gauge("rolloutlab_outage", "1 while every request of the latest second failed, else 0.", null,
                Map.of("", s.outage() ? 1.0 : 0.0), null),
            gauge("rolloutlab_downtime_seconds", "Full outages measured so far (result.json's downtimeSeconds; an "
                + "outage counts once the second after it is known).", Unit.SECONDS,
                Map.of("", s.downtimeSeconds()), null),
            rolloutState(s.rolloutState()),
            gauge("rolloutlab_run_finished", "1 once the run's result is assembled: every total then equals "
                + "result.json's.", null, Map.of("", s.finished() ? 1.0 : 0.0), null));
    }

    private CounterSnapshot counter(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        new TreeMap<>(values).forEach((key, n) -> b.dataPoint(CounterDataPointSnapshot.builder().value(n)
            .labels(run.add(label, key)).build()));
        return b.build();
    }

    /** @param label the label the map's keys are values of; null for a single value under the key "" */
    private GaugeSnapshot gauge(String name, String help, Unit unit, Map<String, Double> values, String label) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        new TreeMap<>(values).forEach((key, v) -> b.dataPoint(GaugeDataPointSnapshot.builder().value(v)
            .labels(label == null ? run : run.add(label, key)).build()));
        return b.build();
    }

    private HistogramSnapshot latency(Map<String, LatencyBuckets> byVersion) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name("rolloutlab_request_latency_seconds")
            .unit(Unit.SECONDS).help("Latency of successful requests by served version, from each request's "
                + "intended send time (so a stall shows in full), counted once its second of intended send time is "
                + "complete; from the recorder's per-second HdrHistograms (3 significant digits).");
        new TreeMap<>(byVersion).forEach((version, l) -> b.dataPoint(HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(BUCKET_BOUNDS, l.counts()))
            .sum(l.sumMicros() / 1e6).labels(run.add("version", version)).build()));
        return b.build();
    }

    private StateSetSnapshot rolloutState(String current) {
        StateSetDataPointSnapshot.Builder point = StateSetDataPointSnapshot.builder().labels(run);
        RunObserver.STATES.forEach(state -> point.state(state, state.equals(current)));
        return StateSetSnapshot.builder().name("rolloutlab_rollout_state").help("The rollout's state, from its "
            + "milestone events: baseline until rollout-start, rolling-out, then promoted, rolling-back (from the "
            + "rollback decision), rolled-back (rollback-complete) or failed.").dataPoint(point.build()).build();
    }

    private static Map<String, Double> doubles(Map<String, Integer> counts) {
        Map<String, Double> m = new TreeMap<>();
        counts.forEach((k, n) -> m.put(k, n.doubleValue()));
        return m;
    }
}
