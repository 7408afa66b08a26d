package dev.rolloutlab.engine;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorLimited;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Milestones;
import dev.rolloutlab.result.RunOutcome;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.reports.SeedClaims;
import dev.rolloutlab.scenario.ClaimSource;
import dev.rolloutlab.scenario.Load;
import dev.rolloutlab.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns what a run recorded into its {@link RunResult}: metrics, outcome, validity of the measurement, gates. */
final class ResultAssembly {
    private ResultAssembly() {
    }

    /**
     * @param platform the platform's name, null for a load against a running service
     * @param state    the rollout at the end of the load, null for a load-only run
     * @param loadEnd  where the measured run ends: the plan's end, or the abort
     */
    static RunResult assemble(Scenario scenario, String platform, Instant startedAt, boolean aborted,
                              Recorder recorder, EventLog events, GeneratorStats stats, RolloutState state,
                              int baselineReplicas, long loadEnd) {
        RunFacts facts = state == null ? RunFacts.loadOnly(loadEnd, scenario.slo().errorRate())
            : state.facts(loadEnd, scenario, baselineReplicas);
        MetricsCalculator calculator = new MetricsCalculator(recorder, facts);
        Metrics metrics = calculator.metrics();
        String outcome = aborted ? "aborted" : state == null ? "completed" : state.outcome(calculator.trafficRestored());
        String invalid = aborted ? null : invalidBecause(scenario.load(), metrics, stats);
        if (invalid != null) {
            stats = stats.invalid(invalid + (outcome.equals("completed") ? "" : " (the rollout's outcome was "
                + outcome + ")"));
            outcome = Run.INVALID;
        }
        var spec = scenario.strategy();
        RunResult result = new RunResult(RunResult.SCHEMA_VERSION, scenario.name(),
            spec == null ? "none" : spec.type().yamlName(), platform == null ? "external" : platform, startedAt, outcome, metrics, stats, events.events(),
            calculator.timeline(), List.of(), calculator.outages(),
            state == null ? Milestones.NONE : Milestones.of(calculator.milestones()),
            scenario.claims() == ClaimSource.SEED ? SeedClaims.of(spec.type().yamlName()) : null);
        return withGates(result, scenario.gates());
    }

    /**
     * Why the run's measurement cannot be trusted, or null: more requests than {@code load.maxGeneratorLimited}
     * that the generator could not make on time, or a p99 send lag beyond {@code load.maxSendLag}.
     */
    static String invalidBecause(Load load, Metrics metrics, GeneratorStats stats) {
        GeneratorLimited limited = metrics.generatorLimited();
        if (limited.requests() > 0 && limited.share() > load.maxGeneratorLimited()) {
            return String.format(Locale.ROOT, "the generator could not make %d of %d requests on time "
                + "(%.3f %% > load.maxGeneratorLimited %.3f %%)", limited.requests(),
                metrics.requests() + limited.requests(), 100 * limited.share(), 100 * load.maxGeneratorLimited());
        }
        double lagBoundMs = load.maxSendLag().toNanos() / 1e6;
        if (stats.p99SendLagMs() != null && stats.p99SendLagMs() > lagBoundMs) {
            return String.format(Locale.ROOT, "the generator's p99 send lag %.1f ms exceeds "
                + "load.maxSendLag %.1f ms", stats.p99SendLagMs(), lagBoundMs);
        }
        return null;
    }

    /**
     * Checks the gates; on an invalid measurement every gate fails, whatever its value: it was not measured. A metric
     * without a value fails its gate unless the gate opts out ({@code ifMissing: pass}), saying why it has none.
     */
    static RunResult withGates(RunResult result, Map<String, Gate> gates) {
        List<GateResult> checked = new ArrayList<>();
        String invalid = result.generator() == null ? null : result.generator().invalidReason();
        gates.forEach((metric, gate) -> {
            GateResult g = gate.check(metric, result);
            checked.add(invalid == null ? g : g.unmeasured("invalid measurement: " + invalid));
        });
        return result.withGates(checked);
    }

    /**
     * The gates of a run a gate with {@code abortOnFail} stopped: that gate fails saying when and on what value, and
     * the outcome is {@code aborted-by-gate}, unless the measurement is invalid (then nothing it judged is known).
     */
    static RunResult withGates(RunResult result, Map<String, Gate> gates, LiveGates.Breach stoppedBy) {
        RunResult checked = withGates(result, gates);
        if (Run.INVALID.equals(checked.outcome())) {
            return checked;
        }
        List<GateResult> marked = checked.gates().stream().map(g -> g.metric().equals(stoppedBy.metric())
            ? g.aborted(stoppedBy.atSeconds(), stoppedBy.reason()) : g).toList();
        return checked.withGates(marked, RunOutcome.ABORTED_BY_GATE.key());
    }
}
