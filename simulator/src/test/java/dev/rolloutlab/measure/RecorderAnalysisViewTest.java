package dev.rolloutlab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What the analysis reads from the recorder: failures by version, and latency interval by interval. */
class RecorderAnalysisViewTest {
    private static final long MS = 1_000_000L;

    private final Recorder recorder = new Recorder(10 * MS, 5, 100, 1024, 10_000 * MS);
    private long seq;

    private void record(long intendedMs, long latencyMs, Outcome outcome, String version) {
        recorder.record(seq++, intendedMs * MS, latencyMs * MS, outcome, version, 0);
    }

    @Test
    void windowCountsFailuresByVersion() {
        record(0, 1, Outcome.SUCCESS, "v1");
        record(5, 1, Outcome.HTTP5XX, "v1");
        record(10, 1, Outcome.HTTP5XX, "v2");
        record(15, 1, Outcome.HTTP5XX, "v2");
        record(20, 1, Outcome.REFUSED, null);
        record(25, 1, Outcome.SUCCESS, "v3");
        record(1000, 1, Outcome.HTTP5XX, "v1");

        Recorder.WindowCounts w = recorder.window(0, 1000 * MS);
        assertThat(w.total()).isEqualTo(6);
        assertThat(w.failed()).isEqualTo(4);
        assertThat(w.byVersion()).containsExactly(entry("unknown", 1L), entry("v1", 2L), entry("v2", 2L),
            entry("v3", 1L));
        assertThat(w.failedByVersion()).containsExactly(entry("unknown", 1L), entry("v1", 1L), entry("v2", 2L));
    }

    @Test
    void aProxysOwnFailureCountsUnderUnknownAndUnderTheVersionItWasRoutedTo() {
        recorder.record(seq++, 0, MS, Outcome.HTTP5XX, null, "v2", 0);
        recorder.record(seq++, 5 * MS, MS, Outcome.HTTP5XX, "v1", "v2", 0); // served: the routed version is moot
        recorder.record(seq++, 10 * MS, MS, Outcome.SUCCESS, null, "v2", 0);

        Recorder.WindowCounts w = recorder.window(0, 1000 * MS);
        assertThat(w.byVersion()).containsExactly(entry("unknown", 2L), entry("v1", 1L));
        assertThat(w.routedFailedByVersion()).containsExactly(entry("v2", 1L));
        assertThat(recorder.routedFailuresByVersion()).containsExactly(entry("v2", 1L));
        assertThat(recorder.requestsByVersion()).doesNotContainKey("v2");
    }

    @Test
    void takeLatencyGivesEachVersionsSuccessesSinceThePreviousTake() {
        record(0, 1, Outcome.SUCCESS, "v1");
        record(1, 3, Outcome.SUCCESS, "v1");
        record(2, 500, Outcome.SUCCESS, "v2");
        record(3, 900, Outcome.HTTP5XX, "v2");
        int v1 = recorder.versionId("v1");
        int v2 = recorder.versionId("v2");
        Histogram h = new Histogram(3);

        recorder.takeLatency(v1, h);
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMaxValue()).isBetween(3000L, 3010L);
        recorder.takeLatency(v1, h);
        assertThat(h.getTotalCount()).isZero();

        // Recorded in intended order or not, a completion belongs to the interval it completed in.
        record(0, 7, Outcome.SUCCESS, "v1");
        recorder.takeLatency(v1, h);
        assertThat(h.getTotalCount()).isEqualTo(1);
        assertThat(h.getMaxValue()).isBetween(7000L, 7010L);

        recorder.takeLatency(v2, h);
        assertThat(h.getTotalCount()).isEqualTo(1);
        assertThat(h.getMaxValue()).isBetween(500_000L, 500_300L);

        recorder.takeLatency(recorder.versionId(null), h);
        assertThat(h.getTotalCount()).isZero();
        recorder.takeLatency(recorder.versionId("never seen"), h);
        assertThat(h.getTotalCount()).isZero();
    }
}
