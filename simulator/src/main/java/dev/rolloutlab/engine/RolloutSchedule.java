package dev.rolloutlab.engine;

import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.analysis.AnalysisRun;
import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.platform.Platform;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.result.Milestone;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.StopAfter;
import dev.rolloutlab.strategy.Rollout;
import dev.rolloutlab.strategy.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A scenario's rollout on the run's clock: the strategy starts at {@code strategy.startAt}, the analysis watches it
 * from then until the rollout ends (or, with {@code analysis.postPromotion}, until that long after the promotion), and
 * a scripted rollback comes at {@code rollback.at}. The recorder learns the rollout window from the milestones as the
 * rollout reaches them; with {@code load.stopAfter} the load is told to end that long after the rollout's result.
 */
final class RolloutSchedule {
    private final Scenario scenario;
    private final Rollout rollout;
    private final ReplicaCount replicas;
    private final Clock clock;
    private final LongConsumer endLoadAt;
    private boolean settled;
    private volatile int baselineReplicas;
    private AnalysisRun analysis;
    /** Set when the analysis decided the rollback: see {@link AnalysisRun#breachedSince()}. */
    private Long breachSince;

    private RolloutSchedule(Scenario scenario, Rollout rollout, ReplicaCount replicas, Clock clock,
                            LongConsumer endLoadAt) {
        this.scenario = scenario;
        this.rollout = rollout;
        this.replicas = replicas;
        this.clock = clock;
        this.endLoadAt = endLoadAt;
    }

    /**
     * @param endLoadAt with {@code load.stopAfter}: told once, on the clock, when the load is to end (nanoseconds since
     *                  load start)
     */
    static RolloutSchedule start(Scenario scenario, Platform platform, Clock clock, EventLog events,
                                 Recorder recorder, ReplicaCount replicas, LongConsumer endLoadAt) {
        var spec = scenario.strategy();
        Rollout rollout = new Rollout(platform, clock, events, scenario.service(), spec);
        RolloutSchedule schedule = new RolloutSchedule(scenario, rollout, replicas, clock, endLoadAt);
        rollout.onMilestone((milestone, nanos) -> schedule.reached(milestone, nanos, recorder));
        clock.at(spec.startAt().toNanos(), () -> {
            schedule.baselineReplicas = replicas.running();
            replicas.resetPeak();
            long now = clock.nanos();
            rollout.begin(Strategies.create(rollout));
            if (scenario.analysis() != null && !rollout.ended()) {
                schedule.startAnalysis(platform, clock, events, recorder,
                    AnalysisRun.baselineThroughput(recorder, 0, now));
            }
        });
        if (scenario.rollback() != null) {
            clock.at(scenario.rollback().at().toNanos(), () -> rollout.abort("scripted rollback at "
                + Durations.format(scenario.rollback().at())));
        }
        return schedule;
    }

    private void reached(Milestone milestone, long nanos, Recorder recorder) {
        switch (milestone) {
            case START -> recorder.markRolloutStart(nanos);
            case PROMOTED -> {
                recorder.markRolloutEnd(nanos);
                promoted(nanos);
            }
            case ROLLED_BACK, FAILED -> {
                recorder.markRolloutEnd(nanos);
                stopAnalysis();
                settled(nanos);
            }
            case DECISION -> {
                if (rollout.at(Milestone.PROMOTED) != null) {
                    // An undo reopens the rollout: users meet the candidate again until it is rolled back.
                    recorder.markRolloutEnd(Long.MAX_VALUE);
                }
                settled(nanos);
            }
            case RESTORED -> {
            }
        }
    }

    /**
     * The analysis goes on for {@code analysis.postPromotion} after the promotion, where a breach undoes the release;
     * the rollout's result is settled once that window passed, and not before a scripted rollback still to come.
     */
    private void promoted(long nanos) {
        Duration window = scenario.analysis() == null ? Duration.ZERO : scenario.analysis().postPromotion();
        boolean scriptedToCome = scenario.rollback() != null;
        if (analysis == null || window.isZero()) {
            stopAnalysis();
            if (!scriptedToCome) {
                settled(nanos);
            }
            return;
        }
        clock.at(nanos + window.toNanos(), () -> {
            if (rollout.at(Milestone.DECISION) == null) {
                stopAnalysis();
                if (!scriptedToCome) {
                    settled(clock.nanos());
                }
            }
        });
    }

    private void stopAnalysis() {
        if (analysis != null) {
            analysis.stop();
        }
    }

    /** The rollout's result is decided at {@code nanos}: with {@code load.stopAfter}, the load ends its delay later. */
    private void settled(long nanos) {
        StopAfter stop = scenario.load().stopAfter();
        if (stop != null && !settled) {
            settled = true;
            endLoadAt.accept(nanos + stop.delay().toNanos());
        }
    }

    /** Background analysis from rollout start to its end; a breach is the rollback decision. */
    private void startAnalysis(Platform platform, Clock clock, EventLog events, Recorder recorder,
                               double baselineThroughput) {
        String stable = scenario.service().stable().version();
        String candidate = scenario.service().candidate().version();
        int cells = scenario.strategy() instanceof CellBasedSpec cellBased ? cellBased.cells() : 0;
        analysis = new AnalysisRun(scenario.analysis(), clock, events, recorder, platform, stable, candidate,
            scope -> replicaSets(scope, stable, candidate, cells), baselineThroughput, this::breached);
        analysis.start();
    }

    /** The analysis' verdict: it decided the rollback only when no decision came before it. */
    private void breached(String reason) {
        boolean decided = rollout.at(Milestone.DECISION) != null;
        rollout.abort(reason);
        if (!decided && rollout.at(Milestone.DECISION) != null) {
            breachSince = analysis.breachedSince();
        }
    }

    /** The replica sets a rule's scope covers: per cell for a cell-based rollout. */
    static List<ReplicaSet> replicaSets(String scope, String stable, String candidate, int cells) {
        List<String> versions = switch (scope) {
            case "candidate" -> List.of(candidate);
            case "stable" -> List.of(stable);
            default -> List.of(stable, candidate);
        };
        List<ReplicaSet> sets = new ArrayList<>();
        for (String v : versions) {
            if (cells == 0) {
                sets.add(ReplicaSet.of(v));
            }
            for (int k = 1; k <= cells; k++) {
                sets.add(new ReplicaSet(v, k));
            }
        }
        return sets;
    }

    /** The rollout as it stands; call on the clock's context. */
    RolloutState state() {
        return RolloutState.of(rollout, replicas, breachSince);
    }

    int baselineReplicas() {
        return baselineReplicas;
    }
}
