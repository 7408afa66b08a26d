package dev.rolloutlab.prometheus;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a run for its live metrics, from what the run keeps anyway: the recorder (totals, latency of the summarised
 * seconds, outages) and the event log (replicas by version, the rollout's state). Called once a second, never per
 * request: totals of buckets old enough that no request can still land in them are kept, so each reading adds up
 * only the recent buckets.
 */
public final class RunObserver {
    static final String BASELINE = "baseline";
    /** The rollout's states, from its milestone events. */
    static final List<String> STATES = List.of(BASELINE, "rolling-out", "promoted", "rolling-back", "rolled-back",
        "failed");
    private static final Map<EventType, String> STATE_AFTER = Map.of(EventType.ROLLOUT_START, "rolling-out",
        EventType.ROLLOUT_COMPLETE, "promoted", EventType.ROLLBACK, "rolling-back",
        EventType.ROLLBACK_COMPLETE, "rolled-back", EventType.ROLLOUT_FAILED, "failed");
    /** As the progress line: the latest second, leaving its slowest requests a moment to come back. */
    private static final long SETTLING_NANOS = 200_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final long settledAfterNanos;
    private final Map<String, Integer> replicas = new TreeMap<>();
    private String rolloutState = BASELINE;
    private int settledBuckets;
    private final Map<String, Long> settledRequests = new HashMap<>();
    private final Map<String, Long> settledFailed = new HashMap<>();

    /** @param timeout the load's timeout: a request lands in its bucket at the latest this long after it */
    public RunObserver(Duration timeout) {
        this.settledAfterNanos = timeout.toNanos() + 10 * SECOND;
    }

    /** Takes every event of the run, from any thread. */
    public synchronized void on(Event e) {
        EventType type = e.kind();
        if (type == EventType.REPLICA_STARTED || type == EventType.REPLICA_TERMINATED) {
            String version = String.valueOf(e.detail().get("version"));
            replicas.merge(version, type == EventType.REPLICA_STARTED ? 1 : -1, Integer::sum);
        } else if (type != null && STATE_AFTER.containsKey(type)) {
            rolloutState = STATE_AFTER.get(type);
        }
    }

    /**
     * The run at {@code nowNanos} since load start.
     *
     * @param sendLagNanos the generator's largest send lag since the previous reading
     */
    public synchronized RunSnapshot live(Recorder recorder, long nowNanos, long sendLagNanos) {
        long bucket = recorder.bucketNanos();
        int settleTo = (int) Math.max(settledBuckets, (nowNanos - settledAfterNanos) / bucket);
        if (settleTo > settledBuckets) {
            Recorder.WindowCounts settling = recorder.window(settledBuckets * bucket, settleTo * bucket);
            settling.byVersion().forEach((v, n) -> settledRequests.merge(v, n, Long::sum));
            settling.failedByVersion().forEach((v, n) -> settledFailed.merge(v, n, Long::sum));
            settledBuckets = settleTo;
        }
        Recorder.WindowCounts recent = recorder.window(settledBuckets * bucket,
            Math.max(settledBuckets, recorder.buckets()) * bucket);
        Map<String, Long> requests = new HashMap<>(settledRequests);
        recent.byVersion().forEach((v, n) -> requests.merge(v, n, Long::sum));
        Map<String, Long> failed = new HashMap<>(settledFailed);
        recent.failedByVersion().forEach((v, n) -> failed.merge(v, n, Long::sum));
        long to = Math.max(0, nowNanos - SETTLING_NANOS);
        Recorder.WindowCounts lastSecond = recorder.window(Math.max(0, to - SECOND), to);
        return snapshot(recorder, requests, failed, sendLagNanos,
            lastSecond.total() > 0 && lastSecond.failed() == lastSecond.total(), false);
    }

    /** The run once its result is assembled: every total as result.json has it. */
    public synchronized RunSnapshot last(Recorder recorder) {
        Recorder.WindowCounts all = recorder.window(0, recorder.buckets() * recorder.bucketNanos());
        return snapshot(recorder, all.byVersion(), all.failedByVersion(), 0, false, true);
    }

    private RunSnapshot snapshot(Recorder recorder, Map<String, Long> requests, Map<String, Long> failed,
                                 long sendLagNanos, boolean outage, boolean finished) {
        Map<String, Long> causes = new LinkedHashMap<>();
        recorder.outcomeTotals().forEach((outcome, n) -> {
            if (outcome != Outcome.SUCCESS) {
                causes.put(outcome.name().toLowerCase(Locale.ROOT), n);
            }
        });
        Map<String, Long> limited = new LinkedHashMap<>();
        recorder.generatorLimitedTotals().forEach((cause, n) -> limited.put(cause.key(), n));
        return new RunSnapshot(requests, failed, causes, limited, sendLagNanos / 1e9,
            recorder.latencyBuckets(RunMetrics.LATENCY_BOUNDS_MICROS), replicas, rolloutState, outage,
            recorder.downtimeNanos() / 1e9, finished);
    }
}
