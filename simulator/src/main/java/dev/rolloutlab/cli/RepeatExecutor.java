package dev.rolloutlab.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.repeat.MetricSummary;
import dev.rolloutlab.repeat.RepeatReports;
import dev.rolloutlab.repeat.RepeatSummary;
import dev.rolloutlab.reports.Numbers;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code run} with {@code repeat: N} (or {@code --repeat N}): the scenario N times, one after the other, each on a
 * fresh platform in its own folder ({@code DIR/run-1/} …), then {@code repeat.json}, {@code summary.md} and
 * {@code junit.xml} in {@code DIR} with each metric's median and confidence interval and the gates checked on the
 * medians. A single run's gate is at the mercy of one noisy run; the median of several is not.
 */
final class RepeatExecutor {
    /** The metrics the terminal summary shows besides the gated ones; repeat.json and summary.md hold them all. */
    private static final List<String> SHOWN = List.of("downtimeSeconds", "rollbackSeconds", "latencyP95Ms",
        "latencyP99Ms", "errorRate");

    private RepeatExecutor() {
    }

    /**
     * Ctrl-C or SIGTERM ends a repeat as it ends a run: the current run's folder is written and the process exits
     * 130 (RunExecutor's handler), without a summary of a repeat that did not finish.
     *
     * @return the exit code: a single run's as always; for a repeat 3 when a run was invalid, else 1 when a gate
     *         failed on the medians
     * @throws CouldNotFinish when a run fails, naming which
     */
    static int execute(Scenario scenario, KubernetesClient kubernetes, RunExecutor.Output output, PrintWriter out,
                       RunInput input) {
        int n = scenario.repeat();
        if (n == 1) {
            return ExitCodes.ofRun(RunExecutor.runAndWrite(scenario, kubernetes, output, out, input));
        }
        Path dir = output.dir();
        List<RunResult> results = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String folder = "run-" + i;
            out.println("rollout-lab: repeat " + i + " of " + n);
            out.flush();
            try {
                results.add(RunExecutor.runAndWrite(scenario, kubernetes,
                    new RunExecutor.Output(dir.resolve(folder), false), out, input));
            } catch (RunFailure e) {
                throw new CouldNotFinish("rollout-lab: run " + i + " of " + n + " of " + scenario.source()
                    + " failed: " + e.getMessage(), e);
            }
            folders.add(folder);
        }
        RepeatSummary summary = RepeatSummary.of(results, folders, scenario.gates());
        List<Path> files = RepeatReports.writeAll(summary, dir);
        output.published(out);
        out.print(text(summary));
        files.forEach(f -> out.println("wrote " + f));
        out.flush();
        if ("invalid".equals(summary.outcome())) {
            return Main.EXIT_RUN_FAILED;
        }
        return summary.gatesPassed() ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
    }

    /** The verdict for the terminal: outcome, the gates on the medians, a few metrics with their intervals. */
    static String text(RepeatSummary s) {
        StringBuilder b = new StringBuilder("\n").append(s.scenario()).append(": ").append(s.outcome())
            .append(" over ").append(s.runs().size()).append(" runs (");
        b.append(String.join(", ", s.outcomes().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .toList())).append(")\n");
        List<String> shown = new ArrayList<>(SHOWN);
        s.gates().forEach(g -> shown.remove(g.metric()));
        for (String metric : shown) {
            b.append(String.format(Locale.ROOT, "  %-22s %s%n", metric, median(s.metrics().get(metric))));
        }
        for (GateResult g : s.gates()) {
            String bound = (g.min() == null ? "" : "min " + Numbers.plain(g.min()) + " ")
                + (g.max() == null ? "" : "max " + Numbers.plain(g.max()));
            b.append(String.format(Locale.ROOT, "  gate %-17s %s (%s)  %s%n", g.metric(),
                median(s.metrics().get(g.metric())), bound.strip(), g.passed() ? "passed"
                    : g.reason() != null ? "FAILED: " + g.reason() : "FAILED"));
        }
        return b.toString();
    }

    /** {@code median 2.5 [2, 9] (93.8 %, 5 runs)}. */
    private static String median(MetricSummary m) {
        if (m.median() == null) {
            return "n/a in every run";
        }
        return String.format(Locale.ROOT, "median %s [%s, %s] (%.1f %%, %d runs)", Numbers.plain(m.median()),
            Numbers.plain(m.low()), Numbers.plain(m.high()), 100 * m.confidence(), m.n());
    }
}
