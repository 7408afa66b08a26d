package dev.rolloutlab.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.measure.Recorder.LatencyBuckets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private static final String RUN = "scenario=\"canary-bad\",strategy=\"canary\"";

    /** Counts per bucket (not cumulative): 1 within 0.5 ms, 2 within 1 ms, 3 beyond 10 s. */
    static RunSnapshot everyFamily(boolean finished) {
        long[] counts = new long[RunMetrics.LATENCY_BOUNDS_SECONDS.length + 1];
        counts[0] = 1;
        counts[1] = 2;
        counts[counts.length - 1] = 3;
        return new RunSnapshot(Map.of("v1", 90L, "v2", 10L), Map.of("v2", 4L),
            Map.of("http5xx", 4L, "timeout", 0L), Map.of("loopLate", 2L), 0.004,
            Map.of("v1", new LatencyBuckets(counts, 30_001_000)), Map.of("v1", 3, "v2", 1), "rolling-back", true,
            1.5, finished);
    }

    @Test
    void servesEveryFamilyLabelledWithTheRunAndClassicBucketsCumulative() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "canary-bad", "canary")) {
            server.show(everyFamily(false));

            Scrape s = Scrape.of(server.url());

            assertThat(s.samples()).containsEntry("rolloutlab_requests_total{" + RUN + ",version=\"v1\"}", 90.0)
                .containsEntry("rolloutlab_failed_requests_total{" + RUN + ",version=\"v2\"}", 4.0)
                .containsEntry("rolloutlab_failures_total{cause=\"http5xx\"," + RUN + "}", 4.0)
                .containsEntry("rolloutlab_generator_limited_requests_total{cause=\"loopLate\"," + RUN + "}", 2.0)
                .containsEntry("rolloutlab_generator_send_lag_seconds{" + RUN + "}", 0.004)
                .containsEntry("rolloutlab_replicas{" + RUN + ",version=\"v2\"}", 1.0)
                .containsEntry("rolloutlab_outage{" + RUN + "}", 1.0)
                .containsEntry("rolloutlab_downtime_seconds{" + RUN + "}", 1.5)
                .containsEntry("rolloutlab_run_finished{" + RUN + "}", 0.0)
                .containsEntry("rolloutlab_rollout_state{" + RUN + ",rolloutlab_rollout_state=\"rolling-back\"}", 1.0)
                .containsEntry("rolloutlab_rollout_state{" + RUN + ",rolloutlab_rollout_state=\"promoted\"}", 0.0);
            String v1 = RUN + ",version=\"v1\"";
            assertThat(s.value("rolloutlab_request_latency_seconds_bucket", "le", "5.0E-4")).isEqualTo(1.0);
            assertThat(s.value("rolloutlab_request_latency_seconds_bucket", "le", "0.001")).isEqualTo(3.0);
            assertThat(s.value("rolloutlab_request_latency_seconds_bucket", "le", "10.0")).isEqualTo(3.0);
            assertThat(s.value("rolloutlab_request_latency_seconds_bucket", "le", "+Inf")).isEqualTo(6.0);
            assertThat(s.samples()).containsEntry("rolloutlab_request_latency_seconds_count{" + v1 + "}", 6.0)
                .containsEntry("rolloutlab_request_latency_seconds_sum{" + v1 + "}", 30.001);
        }
    }

    @Test
    void aLiveSnapshotAfterTheFinalOneIsIgnored() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "canary-bad", "canary")) {
            server.show(everyFamily(true));
            server.show(RunSnapshot.BEFORE_THE_LOAD);

            Scrape s = Scrape.of(server.url());

            assertThat(s.value("rolloutlab_run_finished")).isEqualTo(1.0);
            assertThat(s.value("rolloutlab_requests_total")).isEqualTo(100.0);
        }
    }

    @Test
    void theScrapeComparisonCatchesACounterThatWentDown() {
        Scrape before = Scrape.parse("""
            # TYPE rolloutlab_requests counter
            rolloutlab_requests_total{version="v1"} 10
            rolloutlab_request_latency_seconds_bucket{le="+Inf",version="v1"} 8
            rolloutlab_outage 1
            """);
        Scrape after = Scrape.parse("""
            rolloutlab_requests_total{version="v1"} 9
            rolloutlab_request_latency_seconds_bucket{le="+Inf",version="v1"} 8
            rolloutlab_outage 0
            """);

        assertThat(before.countersGoneDown(after)).containsExactly("rolloutlab_requests_total{version=\"v1\"}: "
            + "10.0 then 9.0");
        assertThat(after.countersGoneDown(before)).isEmpty();
    }
}
