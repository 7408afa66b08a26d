package dev.rolloutlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.result.TimelinePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline's per-version latency: a slow candidate shows as its own line, not averaged into the stable's. */
class TimelineByVersionTest {
    private static final long NS = SyntheticRun.NS;

    @Test
    void aSlowCandidateAtTenPercentHasItsOwnPercentilesBesideTheStables() {
        SyntheticRun run = new SyntheticRun(1000, 100);
        var r = run.recorder;
        // Seconds 0-1: v1 alone at 2 ms. Seconds 2-3: every 10th request on v2 at 400 ms, the rest on v1 at 2 ms;
        // in second 3 every v2 request fails (so v2 has no latency there).
        for (int i = 0; i < 4000; i++) {
            double t = i / 1000.0;
            boolean candidate = t >= 2 && i % 10 == 0;
            Outcome outcome = candidate && t >= 3 ? Outcome.HTTP5XX : Outcome.SUCCESS;
            r.record(run.nextSeq(), Math.round(t * NS), candidate ? 400_000_000L : 2_000_000L, outcome,
                candidate ? "v2" : "v1", i);
        }
        r.finish(4 * NS);

        List<TimelinePoint> timeline = new MetricsCalculator(r, RunFacts.loadOnly(4 * NS, 0.01)).timeline();

        assertThat(timeline).hasSize(4);
        assertThat(timeline.get(0).latencyByVersion()).containsOnlyKeys("v1");
        TimelinePoint mixed = timeline.get(2);
        assertThat(mixed.latencyByVersion()).containsOnlyKeys("v1", "v2");
        // HdrHistogram keeps 3 significant digits: 400 ms reads within 0.1 %, 2 ms within 0.002 ms.
        assertThat(mixed.latencyByVersion().get("v2").p95Ms()).isCloseTo(400, within(0.4));
        assertThat(mixed.latencyByVersion().get("v2").p99Ms()).isCloseTo(400, within(0.4));
        assertThat(mixed.latencyByVersion().get("v1").p99Ms()).isCloseTo(2, within(0.002));
        // Mixed together, the candidate's 10 % is the whole tail and the stable's 2 ms is nowhere above p50.
        assertThat(mixed.p95Ms()).isCloseTo(400, within(0.4));
        assertThat(mixed.p50Ms()).isCloseTo(2, within(0.002));
        assertThat(timeline.get(3).latencyByVersion()).containsOnlyKeys("v1");
        assertThat(timeline.get(3).failedByVersion()).containsExactly(java.util.Map.entry("v2", 100L));
        assertThat(timeline.get(2).failedByVersion()).isEmpty();
        assertThat(timeline).allMatch(TimelinePoint::failuresByVersionKnown);
    }

    @Test
    void failuresThatReachedNoVersionCountUnderTheVersionTheProxyRoutedThemTo() {
        SyntheticRun run = new SyntheticRun(1000, 100);
        var r = run.recorder;
        for (int i = 0; i < 1000; i++) {
            boolean candidate = i % 10 == 0;
            boolean refused = candidate && i % 20 == 0;
            r.record(run.nextSeq(), i * 1_000_000L, 1_000_000L, refused ? Outcome.REFUSED : Outcome.SUCCESS,
                refused ? null : candidate ? "v2" : "v1", refused ? "v2" : null, i);
        }
        r.finish(NS);

        TimelinePoint second = new MetricsCalculator(r, RunFacts.loadOnly(NS, 0.01)).timeline().get(0);

        assertThat(second.failed()).isEqualTo(50);
        assertThat(second.failedByVersion()).containsExactly(java.util.Map.entry("unknown", 50L));
        assertThat(second.routedFailedByVersion()).containsExactly(java.util.Map.entry("v2", 50L));
        assertThat(second.byVersion()).containsEntry("v2", 50L).containsEntry("unknown", 50L);
    }
}
