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
import dev.rolloutlab.strategy.Rollout;
import dev.rolloutlab.strategy.Strategies;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's rollout on the run's clock: the strategy starts at {@code strategy.startAt}, the analysis watches it
 * from then until the rollout ends, and a scripted rollback comes at {@code rollback.at}. The recorder learns the
 * rollout window from the milestones as the rollout reaches them.
 */
final class RolloutSchedule {
    private final Scenario scenario;
    private final Rollout rollout;
    private final ReplicaCount replicas;
    private volatile int baselineReplicas;
    private AnalysisRun analysis;
    /** Set when the analysis decided the rollback: see {@link AnalysisRun#breachedSince()}. */
    private Long breachSince;

    private RolloutSchedule(Scenario scenario, Rollout rollout, ReplicaCount replicas) {
        this.scenario = scenario;
        this.rollout = rollout;
        this.replicas = replicas;
    }

    static RolloutSchedule start(Scenario scenario, Platform platform, Clock clock, EventLog events,
                                 Recorder recorder, ReplicaCount replicas) {
        var spec = scenario.strategy();
        Rollout rollout = new Rollout(platform, clock, events, scenario.service(), spec);
        RolloutSchedule schedule = new RolloutSchedule(scenario, rollout, replicas);
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
            case PROMOTED, ROLLED_BACK, FAILED -> {
                recorder.markRolloutEnd(nanos);
                if (analysis != null) {
                    analysis.stop();
                }
            }
            case DECISION -> {
                if (rollout.at(Milestone.PROMOTED) != null) {
                    // An undo reopens the rollout: users meet the candidate again until it is rolled back.
                    recorder.markRolloutEnd(Long.MAX_VALUE);
                }
            }
            case RESTORED -> {
            }
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

    /** The analysis' verdict; it decided the rollback only when no decision came before it (and the rollout goes on). */
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
