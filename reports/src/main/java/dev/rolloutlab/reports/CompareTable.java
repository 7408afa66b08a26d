package dev.rolloutlab.reports;

import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.Claims;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Outage;
import dev.rolloutlab.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The comparison of several runs under the same load: the claims of the runs whose scenarios declare them
 * ({@code claims:}) beside their measured values, then the metrics of every run.
 */
public final class CompareTable {
    private final List<RunResult> runs;

    public CompareTable(List<RunResult> runs) {
        this.runs = List.copyOf(runs);
    }

    /** A Markdown document: fits a pull-request comment or a CI step summary. */
    public String markdown() {
        StringBuilder b = new StringBuilder("# Strategy comparison\n\n");
        if (hasClaims()) {
            b.append(claimsNote()).append("\n\n");
            appendTable(b, seedHeader(), seedRows());
            b.append("\n## Measured\n\n");
        }
        appendTable(b, metricHeader(), metricRows());
        b.append("\nDefinitions: docs/metrics.md. `-` = not applicable to the run.\n");
        invalidNote().ifPresent(note -> b.append("\n> ⛔ ").append(note.replace("\n", "\n> ")).append('\n'));
        return b.toString();
    }

    /** The same tables as aligned plain text, for the terminal. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (hasClaims()) {
            b.append(claimsNote()).append("\n\n");
            appendText(b, seedHeader(), seedRows());
            b.append('\n');
        }
        appendText(b, metricHeader(), metricRows());
        invalidNote().ifPresent(note -> b.append('\n').append(note).append('\n'));
        return b.toString();
    }

    /**
     * The runs whose measurement is invalid, each with its reason: their numbers are the generator's limits, not the
     * service's, so the tables mark them and this says why. Empty when every run was measured.
     */
    public Optional<String> invalidNote() {
        List<String> lines = new ArrayList<>();
        for (RunResult r : runs) {
            String reason = GateText.invalidReason(r);
            if (reason != null) {
                lines.add(r.scenario() + ": " + reason);
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("INVALID measurement (the load generator could not make it; its numbers are not the "
            + "service's, its latencies are left out and every gate failed):\n" + String.join("\n", lines));
    }

    /** Whether the run's measurement is invalid: marked in every table and chart. */
    public static boolean invalid(RunResult r) {
        return GateText.invalidReason(r) != null;
    }

    /** Whether any run's scenario declares claims: only then is there a claims table. */
    public boolean hasClaims() {
        return runs.stream().anyMatch(r -> r.claims() != null);
    }

    /** What the claims table compares, and on which scale: printed above it. */
    public String claimsNote() {
        boolean scaled = runs.stream().anyMatch(r -> r.claims() != null && r.claims().scaled());
        return "Claims (the seed document's table: production figures for instances that start in 20-60 s) beside "
            + "what these runs measured." + (scaled ? " Times are NOT on the same scale: the scenarios scale startup "
            + "and pauses down to seconds, so compare the shape (zero or not, sub-second or not) and the overhead, "
            + "not the values." : "") + " A measured downtime made of several outages is shown as their sum, each "
            + "named (the release's and the rollback's).";
    }

    /** The seed table, header row first: for renderers other than these two (the HTML report). */
    public List<List<String>> seedTable() {
        return withHeader(seedHeader(), seedRows());
    }

    /** The measured-metrics table, header row first. */
    public List<List<String>> metricTable() {
        return withHeader(metricHeader(), metricRows());
    }

    private static List<List<String>> withHeader(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static List<String> seedHeader() {
        return List.of("strategy", "outcome", "downtime: claim", "measured", "rollback: claim", "measured",
            "overhead: claim", "measured");
    }

    /** One row per run whose scenario declares claims. */
    private List<List<String>> seedRows() {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            Claims c = r.claims();
            if (c == null) {
                continue;
            }
            Metrics m = r.metrics();
            rows.add(List.of(r.strategy(), r.outcome(), c.downtime(), downtime(r), c.rollback(), rollback(m),
                c.overhead(), overhead(m.resourceOverhead())));
        }
        return rows;
    }

    /**
     * The measured downtime; when it is the sum of several outages, each phase's share: outages that began before
     * the rollback decision belong to the release, later ones to the rollback (recreate has one of each).
     */
    private static String downtime(RunResult r) {
        List<Outage> outages = r.measuredOutages();
        String total = seconds(r.metrics().downtimeSeconds());
        if (outages.size() < 2) {
            return total;
        }
        Double decision = r.milestones().decision();
        StringJoiner parts = new StringJoiner(" + ", total + " = ", "");
        phase(parts, "release", outages.stream().filter(o -> decision == null || o.start() < decision).toList());
        phase(parts, "rollback", outages.stream().filter(o -> decision != null && o.start() >= decision).toList());
        return parts.toString();
    }

    private static void phase(StringJoiner parts, String name, List<Outage> outages) {
        if (!outages.isEmpty()) {
            double sum = outages.stream().mapToDouble(o -> o.end() - o.start()).sum();
            parts.add(name + " " + seconds(sum) + (outages.size() > 1 ? " in " + outages.size() + " outages" : ""));
        }
    }

    private static List<String> metricHeader() {
        return List.of("scenario", "requests", "error rate", "longest outage", "detection", "deployment",
            "peak candidate share", "failed share", "affected users", "peak replicas", "p95 ms", "p99 ms", "gates");
    }

    private List<List<String>> metricRows() {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            Metrics m = r.metrics();
            BlastRadius br = m.blastRadius();
            long failedGates = r.gates().stream().filter(g -> !g.passed()).count();
            boolean invalid = invalid(r);
            rows.add(List.of(invalid ? r.scenario() + " (INVALID)" : r.scenario(), String.valueOf(m.requests()),
                percent(m.errorRate()),
                seconds(m.longestOutageSeconds()), seconds(m.detectionSeconds()), seconds(m.deploymentSeconds()),
                percent(br.peakCandidateShare()), percent(br.failedRequestShare()), percent(br.affectedUserShare()),
                m.peakReplicas() == null ? "-" : m.peakReplicas() + " / " + m.baselineReplicas(),
                invalid ? "invalid" : number(m.latencyMs().p95()), invalid ? "invalid" : number(m.latencyMs().p99()),
                r.gates().isEmpty() ? "-" : failedGates == 0 ? "passed" : failedGates + " failed"));
        }
        return rows;
    }

    private static String rollback(Metrics m) {
        if (m.rollbackSeconds() == null) {
            return "-";
        }
        return seconds(m.rollbackSeconds()) + (Boolean.FALSE.equals(m.trafficRestored()) ? " (not restored)" : "");
    }

    private static String seconds(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.3f s", s);
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static String overhead(Double o) {
        return o == null ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * o);
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static void appendTable(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> b.append("---|"));
        b.append('\n');
        rows.forEach(r -> b.append("| ").append(String.join(" | ", r)).append(" |\n"));
    }

    private static void appendText(StringBuilder b, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = withHeader(header, rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + width[i] + "s", row.get(i))).append(i + 1 < row.size() ? "  " : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
