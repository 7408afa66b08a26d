package dev.rolloutlab.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunObserverTest {
    private static final long MS = 1_000_000L;

    /** 100 requests/s; every tenth fails with a 503 from v2, the rest succeed on v1 in 2 ms. */
    private static void record(Recorder r, int fromSecond, int toSecond) {
        for (long seq = fromSecond * 100L; seq < toSecond * 100L; seq++) {
            boolean fails = seq % 10 == 0;
            r.record(seq, seq * 10 * MS, 2 * MS, fails ? Outcome.HTTP5XX : Outcome.SUCCESS, fails ? "v2" : "v1",
                (int) seq);
        }
    }

    /**
     * Readings that keep the totals of old buckets and add up only the recent ones still count every request once,
     * and the last reading, after the recorder finished, has the totals result.json has.
     */
    @Test
    void liveTotalsOverSettledAndRecentBucketsEqualTheRecordersAndNeverGoDown() {
        Recorder r = new Recorder(10 * MS, 5, 100, 10_000, 2_000 * MS);
        RunObserver observer = new RunObserver(Duration.ofSeconds(2));
        record(r, 0, 15);
        RunSnapshot first = observer.live(r, 15_000 * MS, 3 * MS);
        record(r, 15, 30);
        RunSnapshot second = observer.live(r, 30_000 * MS, 0);
        r.finish(30_000 * MS);
        RunSnapshot last = observer.last(r);

        assertThat(first.requestsByVersion()).isEqualTo(Map.of("v1", 1350L, "v2", 150L));
        assertThat(first.sendLagSeconds()).isEqualTo(0.003);
        assertThat(second.requestsByVersion()).isEqualTo(Map.of("v1", 2700L, "v2", 300L))
            .isEqualTo(r.requestsByVersion());
        assertThat(second.failedByVersion()).isEqualTo(Map.of("v2", 300L));
        assertThat(last.requestsByVersion()).isEqualTo(r.requestsByVersion());
        assertThat(last.failuresByCause()).containsEntry("http5xx", 300L).containsEntry("timeout", 0L);
        assertThat(last.finished()).isTrue();
        long[] buckets = last.latencyByVersion().get("v1").counts();
        assertThat(buckets[3]).as("within 5 ms, above 2.5 ms: HdrHistogram's 2 ms").isZero();
        assertThat(buckets[2]).as("within 2.5 ms").isEqualTo(2700);
    }

    @Test
    void anOutageIsEveryRequestOfTheLatestSecondFailing() {
        Recorder r = new Recorder(10 * MS, 5, 100, 10_000, 2_000 * MS);
        RunObserver observer = new RunObserver(Duration.ofSeconds(2));
        for (long seq = 0; seq < 200; seq++) {
            r.record(seq, seq * 10 * MS, 2 * MS, seq < 100 ? Outcome.SUCCESS : Outcome.REFUSED, seq < 100 ? "v1" : null,
                (int) seq);
        }

        assertThat(observer.live(r, 1_100 * MS, 0).outage()).isFalse();
        assertThat(observer.live(r, 2_200 * MS, 0).outage()).isTrue();
    }

    @Test
    void replicasByVersionAndTheRolloutStateComeFromTheEvents() {
        Recorder r = new Recorder(10 * MS, 5, 100, 10_000, 2_000 * MS);
        RunObserver observer = new RunObserver(Duration.ofSeconds(2));
        observer.on(replica(EventType.REPLICA_STARTED, "v1"));
        observer.on(replica(EventType.REPLICA_STARTED, "v1"));
        observer.on(new Event(1, EventType.ROLLOUT_START, Map.of()));
        observer.on(replica(EventType.REPLICA_STARTED, "v2"));
        assertThat(observer.live(r, 0, 0).rolloutState()).isEqualTo("rolling-out");
        observer.on(new Event(2, EventType.ROLLBACK, Map.of()));
        observer.on(replica(EventType.REPLICA_TERMINATED, "v2"));

        RunSnapshot s = observer.live(r, 0, 0);

        assertThat(s.replicasByVersion()).isEqualTo(Map.of("v1", 2, "v2", 0));
        assertThat(s.rolloutState()).isEqualTo("rolling-back");
    }

    private static Event replica(EventType type, String version) {
        return new Event(0, type, Map.of("pod", "p", "version", version));
    }
}
