package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Milestones;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analysis after the promotion ({@code analysis.postPromotion}) and a load that ends a set time after the rollout's
 * result ({@code load.stopAfter}), end to end on the local platform.
 */
class PostPromotionRunsTest {
    /** A 420 ms candidate that a quick rolling update promotes before a {@code for: 5s} latency rule can breach. */
    private static final String SLOW_ROLLING = """
        service:
          replicas: 3
          candidate: { version: v2, behavior: { latency: 420ms } }
          readiness: { period: 100ms }
        load: { rate: 500/s, duration: 40s, warmup: 1s, stopAfter: { rollout: 4s } }
        strategy: { type: rolling, startAt: 2s, maxSurge: 1, maxUnavailable: 0 }
        analysis:
          interval: 1s
          rules: [ {metric: latencyP95, scope: candidate, max: 300ms, for: 5s} ]
        """;

    @TempDir
    Path dir;

    @Test
    void withoutAPostPromotionWindowTheSlowCandidateIsPromotedAndTheLoadStopsAfterIt() throws Exception {
        RunResult r = ScenarioRuns.run(dir, SLOW_ROLLING);
        Milestones m = r.milestones();
        assertThat(r.outcome()).isEqualTo("promoted");
        assertThat(m.promoted()).isLessThan(2 + 5.0);
        assertThat(m.decision()).isNull();
        // The load ends 4 s after the promotion, not at load.duration: the last second of the timeline is the one
        // that holds the end (plus one for a partial second).
        assertThat(r.timeline().size()).isBetween((int) (m.promoted() + 4), (int) (m.promoted() + 4) + 1);
    }

    @Test
    void aBreachInThePostPromotionWindowUndoesTheRelease() throws Exception {
        RunResult r = ScenarioRuns.run(dir,
            SLOW_ROLLING.replace("  interval: 1s", "  interval: 1s\n  postPromotion: 20s"));
        Milestones m = r.milestones();
        Metrics metrics = r.metrics();
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(m.promoted()).isNotNull().isLessThan(m.decision());
        assertThat(m.decision() - m.promoted()).isLessThan(20);
        assertThat(r.events()).filteredOn(e -> e.is(EventType.ROLLBACK)).singleElement()
            .extracting(e -> e.detail().get("afterPromotion")).isEqualTo(true);
        // No request failed: detection counts from the start of the rule's first failing window, an interval before
        // the evaluation that began the 5 s series, so interval + for, plus the callback's few ms.
        assertThat(metrics.detectionSeconds()).isCloseTo(6.0, within(0.2));
        Event breach = r.events().stream().filter(e -> e.is(EventType.ANALYSIS_FAILED)).findFirst().orElseThrow();
        assertThat(((Number) breach.detail().get("heldSince")).doubleValue())
            .isCloseTo(m.decision() - metrics.detectionSeconds(), within(0.002));
        assertThat(r.timeline().size()).isBetween((int) (m.decision() + 4), (int) (m.decision() + 4) + 1);
    }

    /** The canary's default 30 s abortScaleDownDelay outlasts a load that stops 5 s after the decision. */
    @Test
    void aLoadStoppedAfterTheDecisionKeepsACorrectRollbackRolledBack() throws Exception {
        RunResult r = ScenarioRuns.run(dir, """
            service:
              replicas: 4
              candidate: { version: v2, behavior: { errorRate: 1.0 } }
              readiness: { period: 100ms }
            load: { rate: 500/s, duration: 60s, warmup: 1s, stopAfter: rollout }
            strategy:
              type: canary
              startAt: 2s
              steps: [ {setWeight: 25}, {pause: 60s} ]
            analysis:
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 2s} ]
            """);
        assertThat(r.outcome()).isEqualTo("rolled-back");
        assertThat(r.metrics().trafficRestored()).isTrue();
        assertThat(r.milestones().rolledBack()).isNull();
        assertThat(r.timeline().size()).isBetween((int) (r.milestones().decision() + 5),
            (int) (r.milestones().decision() + 5) + 1);
    }
}
