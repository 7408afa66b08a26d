package dev.rolloutlab.reports;

import dev.rolloutlab.result.GateMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.stats.MannWhitney;
import dev.rolloutlab.stats.MedianInterval;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A candidate run against a baseline run (say, the main branch's) for every gate metric, with gates on the change
 * rather than on a fixed bound: "p95 at most 10 % higher than the baseline" catches a regression on any machine,
 * where a fixed bound has to be tuned to the CI runner.
 *
 * <p>Each side is one run or the runs of a repeat. With repeats a metric is compared by its medians and by a
 * Mann–Whitney U test of the runs' values, and a gate reports a change only when it is both beyond the bound and
 * significant: two identical configurations on a shared runner differ by tens of percent in p95 from run to run,
 * which a bound alone would call a regression. Where the test cannot be made (single runs, or too few runs to
 * reach the significance level) the gate falls back to the bound alone and the diff says so.
 */
public final class RunDiff {
    /** The significance level a gate's change must reach unless told otherwise. */
    public static final double ALPHA = 0.05;

    /**
     * One side of the diff: a run, or the runs of a repeat.
     *
     * @param label  what the side is, for the reader: scenario, strategy, outcome, runs, start
     * @param runs   how many runs it holds
     * @param values each gate metric's values, one per run in which the metric had one
     * @param input  what the side was asked to run (result.json's {@code input}), null when not recorded
     */
    public record Side(String label, int runs, Map<String, List<Double>> values, RunInput input) {
        public Side {
            values = Map.copyOf(values);
        }

        /** A single run. */
        public static Side of(RunResult r) {
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (String metric : GateMetrics.names()) {
                Double v = GateMetrics.value(metric, r);
                values.put(metric, v == null ? List.of() : List.of(v));
            }
            return new Side(describe(r), 1, values, r.input());
        }

        List<Double> of(String metric) {
            return values.getOrDefault(metric, List.of());
        }

        /** The median of the metric's values, null when it had none. */
        Double median(String metric) {
            List<Double> v = of(metric);
            return v.isEmpty() ? null : MedianInterval.of(v).median();
        }
    }

    /**
     * One metric on both sides (medians for repeats); a side is null where the metric does not apply.
     *
     * @param test the Mann–Whitney test of the two sides' values, null when a side has no value
     */
    public record Row(String metric, Double baseline, Double candidate, MannWhitney test) {
        public Row(String metric, Double baseline, Double candidate) {
            this(metric, baseline, candidate, null);
        }

        /** Whether the test could show a difference at {@code alpha} with these numbers of runs. */
        public boolean testable(double alpha) {
            return test != null && test.canReach(alpha);
        }

        /** @return candidate − baseline, or null when either side is n/a */
        public Double delta() {
            return baseline == null || candidate == null ? null : candidate - baseline;
        }

        /** @return the change as a share of the baseline, or null when n/a or any change from 0 */
        public Double relative() {
            Double delta = delta();
            if (delta == null || baseline == 0 && delta != 0) {
                return null;
            }
            return baseline == 0 ? 0.0 : delta / Math.abs(baseline);
        }
    }

    /**
     * How far a metric may move: {@code +10%} at most 10 % up, {@code +0.5} at most 0.5 up, {@code -5%} at most 5 %
     * down (no sign: up). Percentages are of the baseline, so from a baseline of 0 a percentage allows no change.
     */
    public record DeltaGate(String metric, boolean increase, double limit, boolean percent) {
        private static final Pattern SPEC = Pattern.compile("([^=]+)=([+-]?)(\\d+(?:\\.\\d+)?)(%?)");

        /** @throws IllegalArgumentException saying what is wrong with the spec, or naming the known metrics */
        public static DeltaGate parse(String spec) {
            Matcher m = SPEC.matcher(spec.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected METRIC=+10% (at most 10 % up), METRIC=+0.5 (at most "
                    + "0.5 up) or METRIC=-5% (at most 5 % down)");
            }
            String metric = m.group(1).strip();
            if (!GateMetrics.names().contains(metric)) {
                throw new IllegalArgumentException("unknown metric '" + metric + "'; known: "
                    + String.join(", ", GateMetrics.names()));
            }
            return new DeltaGate(metric, !m.group(2).equals("-"), Double.parseDouble(m.group(3)),
                !m.group(4).isEmpty());
        }

        /** {@code +10%}, {@code -0.5}. */
        public String bound() {
            return (increase ? "+" : "-") + Numbers.plain(limit) + (percent ? "%" : "");
        }

        /** A metric that does not apply to either run passes, as a fixed gate does. */
        boolean allows(Row row) {
            if (row.delta() == null) {
                return true;
            }
            double change = increase ? row.delta() : -row.delta();
            double allowed = percent ? Math.abs(row.baseline()) * limit / 100 : limit;
            // Tolerates rounding: 1.1 against 1.0 is a 10 % rise, not 10.000000000000009 %.
            return change <= allowed + 1e-9 * Math.max(Math.abs(row.baseline()), Math.abs(row.candidate()));
        }
    }

    /** What a gate found: only a change beyond the bound that the test shows, or that no test could check, fails. */
    public enum Verdict {
        /** The medians moved no further than the bound allows. */
        WITHIN_BOUND("within bound", true),
        /** Beyond the bound, but the runs do not show a difference at the significance level: noise. */
        NOT_SIGNIFICANT("not significant", true),
        /** Beyond the bound and significant. */
        CHANGED("changed", false),
        /** Beyond the bound; no test could be made, so the bound alone decides. */
        BEYOND_BOUND("beyond bound, untested", false);

        private final String label;
        private final boolean passed;

        Verdict(String label, boolean passed) {
            this.label = label;
            this.passed = passed;
        }

        public String label() {
            return label;
        }

        public boolean passed() {
            return passed;
        }
    }

    /** One gate checked against its metric's row. */
    public record Check(DeltaGate gate, Row row, Verdict verdict) {
        public boolean passed() {
            return verdict.passed();
        }
    }

    private final Side baseline;
    private final Side candidate;
    private final double alpha;
    private final List<Row> rows = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();

    public RunDiff(RunResult baseline, RunResult candidate, List<DeltaGate> gates) {
        this(Side.of(baseline), Side.of(candidate), gates, ALPHA);
    }

    /** @param alpha the significance level a change beyond a gate's bound must reach to fail it */
    public RunDiff(Side baseline, Side candidate, List<DeltaGate> gates, double alpha) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.alpha = alpha;
        for (String metric : GateMetrics.names()) {
            rows.add(row(metric));
        }
        for (DeltaGate g : gates) {
            Row row = row(g.metric());
            checks.add(new Check(g, row, verdict(g, row)));
        }
    }

    private Row row(String metric) {
        List<Double> b = baseline.of(metric);
        List<Double> c = candidate.of(metric);
        return new Row(metric, baseline.median(metric), candidate.median(metric),
            b.isEmpty() || c.isEmpty() ? null : MannWhitney.test(b, c));
    }

    private Verdict verdict(DeltaGate gate, Row row) {
        if (gate.allows(row)) {
            return Verdict.WITHIN_BOUND;
        }
        if (!row.testable(alpha)) {
            return Verdict.BEYOND_BOUND;
        }
        return row.test().significant(alpha) ? Verdict.CHANGED : Verdict.NOT_SIGNIFICANT;
    }

    /** Whether either side holds more than one run: the tables then show medians and p-values. */
    private boolean repeated() {
        return baseline.runs() > 1 || candidate.runs() > 1;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** Aligned plain text for the terminal: the runs, every metric, then the gates. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("baseline   ").append(baseline.label()).append('\n');
        b.append("candidate  ").append(candidate.label()).append("\n\n");
        b.append(inputDifferencesText());
        List<List<String>> table = new ArrayList<>();
        table.add(repeated() ? List.of("metric", "baseline", "candidate", "delta", "relative", "p")
            : List.of("metric", "baseline", "candidate", "delta", "relative"));
        rows.forEach(r -> table.add(cells(r)));
        align(b, table);
        b.append('\n').append(method()).append('\n');
        if (!checks.isEmpty()) {
            b.append('\n');
            List<List<String>> gates = new ArrayList<>();
            for (Check c : checks) {
                List<String> line = new ArrayList<>(List.of("gate", c.gate().metric(), c.gate().bound(), change(c)));
                if (c.row().testable(alpha)) {
                    line.add("p=" + p(c.row()));
                    line.add(c.verdict().label());
                }
                line.add(c.passed() ? "passed" : "FAILED");
                gates.add(line);
            }
            align(b, gates);
        }
        return b.toString();
    }

    /**
     * How the sides were compared, in a sentence: medians and the test, or why no test could be made and the bound
     * alone decides.
     */
    public String method() {
        int n1 = baseline.runs();
        int n2 = candidate.runs();
        if (n1 == 1 && n2 == 1) {
            return "Single runs: no statistical test can be made, so each gate compares the two values against its "
                + "bound only (run both sides with --repeat 4 or more for a test).";
        }
        String sizes = n1 + " baseline and " + n2 + " candidate runs";
        double smallest = MannWhitney.smallestP(n1, n2);
        if (smallest >= alpha) {
            return String.format(Locale.ROOT, "Medians of %s. The Mann-Whitney test cannot reach p < %s with so few "
                + "runs (the smallest p possible is %.3f), so each gate compares the medians against its bound only "
                + "(4 runs a side can).", sizes, Numbers.plain(alpha), smallest);
        }
        return "Medians of " + sizes + "; p: two-sided Mann-Whitney U test of the runs' values. A gate fails only "
            + "when the medians moved beyond its bound and p < " + Numbers.plain(alpha) + ".";
    }

    /** The same as a Markdown document, for a pull-request comment or a CI step summary. */
    public String markdown() {
        long failed = checks.stream().filter(c -> !c.passed()).count();
        StringBuilder b = new StringBuilder("## ");
        b.append(checks.isEmpty() ? "Run diff, no gates" : failed == 0 ? "✅ Run diff, all " + checks.size()
            + " gates passed" : "❌ Run diff, " + failed + " of " + checks.size() + " gates failed");
        b.append("\n\nBaseline: ").append(SummaryMarkdown.cell(baseline.label())).append(".  \nCandidate: ")
            .append(SummaryMarkdown.cell(candidate.label())).append(".\n\n").append(inputDifferencesMarkdown())
            .append(repeated() ? "| metric | baseline | candidate | delta | relative | p |\n|---|---|---|---|---|---|\n"
                : "| metric | baseline | candidate | delta | relative |\n|---|---|---|---|---|\n");
        rows.forEach(r -> b.append("| ").append(String.join(" | ", cells(r))).append(" |\n"));
        b.append('\n').append(method()).append('\n');
        if (!checks.isEmpty()) {
            b.append(repeated() ? "\n### Gates\n\n| metric | allowed change | change | test | result |\n"
                + "|---|---|---|---|---|\n" : "\n### Gates\n\n| metric | allowed change | change | result |\n|---|---|---|---|\n");
            for (Check c : checks) {
                b.append("| ").append(c.gate().metric()).append(" | ").append(c.gate().bound()).append(" | ")
                    .append(change(c)).append(" | ");
                if (repeated()) {
                    b.append(c.row().testable(alpha) ? "p=" + p(c.row()) + ", " + c.verdict().label() : "bound only")
                        .append(" | ");
                }
                b.append(c.passed() ? "✅ passed" : "❌ failed").append(" |\n");
            }
        }
        return b.toString();
    }

    /**
     * One thing the two runs were asked to do differently: a key of the scenario after {@code --set} ({@code
     * load.rate}, {@code faults.0.at}), the scenario file or the command line; a side is null where that run did not
     * have the key.
     */
    public record InputDifference(String key, String baseline, String candidate) {
    }

    /**
     * What differed in the input of the two runs (result.json's {@code input}), so that a changed metric can be told
     * from a changed setting; empty when both ran the same scenario, or when either run has no recorded input.
     */
    public List<InputDifference> inputDifferences() {
        RunInput b = baseline.input();
        RunInput c = candidate.input();
        List<InputDifference> differences = new ArrayList<>();
        if (b == null || c == null) {
            return differences;
        }
        Map<String, String> before = new TreeMap<>();
        Map<String, String> after = new TreeMap<>();
        flatten("", b.scenario(), before);
        flatten("", c.scenario(), after);
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            if (!Objects.equals(before.get(key), after.get(key))) {
                differences.add(new InputDifference(key, before.get(key), after.get(key)));
            }
        }
        if (!Objects.equals(b.file(), c.file())) {
            differences.add(new InputDifference("(scenario file)", b.file(), c.file()));
        }
        if (!b.commandLine().equals(c.commandLine())) {
            differences.add(new InputDifference("(command line)", String.join(" ", b.commandLine()),
                String.join(" ", c.commandLine())));
        }
        return differences;
    }

    /** Scalars by key path; an empty mapping or list is a value of its own ({@code {}}, {@code []}). */
    private static void flatten(String path, JsonNode node, Map<String, String> into) {
        if (node == null) {
            return;
        }
        if (node.isContainerNode() && node.size() > 0) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    e.getValue(), into));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(path + "." + i, node.get(i), into);
                }
            }
            return;
        }
        into.put(path, node.isTextual() ? node.asText() : node.toString());
    }

    /** The input section of {@link #text()}: what differed, or that nothing did, or that it is unknown. */
    private String inputDifferencesText() {
        String unknown = inputUnknown();
        if (unknown != null) {
            return "input      " + unknown + "\n\n";
        }
        List<InputDifference> differences = inputDifferences();
        if (differences.isEmpty()) {
            return "input      the same scenario and command line\n\n";
        }
        StringBuilder b = new StringBuilder("input differences\n");
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("key", "baseline", "candidate"));
        differences.forEach(d -> table.add(List.of(d.key(), absent(d.baseline()), absent(d.candidate()))));
        align(b, table);
        return b.append('\n').toString();
    }

    /** The input section of {@link #markdown()}. */
    private String inputDifferencesMarkdown() {
        String unknown = inputUnknown();
        if (unknown != null) {
            return "Input: " + unknown + ".\n\n";
        }
        List<InputDifference> differences = inputDifferences();
        if (differences.isEmpty()) {
            return "Input: the same scenario and command line.\n\n";
        }
        StringBuilder b = new StringBuilder("### Input differences\n\n| key | baseline | candidate |\n|---|---|---|\n");
        differences.forEach(d -> b.append("| ").append(SummaryMarkdown.cell(d.key())).append(" | ")
            .append(SummaryMarkdown.cell(absent(d.baseline()))).append(" | ")
            .append(SummaryMarkdown.cell(absent(d.candidate()))).append(" |\n"));
        return b.append('\n').toString();
    }

    /** Why the inputs cannot be compared (a result.json written before runs recorded their input), or null. */
    private String inputUnknown() {
        if (baseline.input() == null && candidate.input() == null) {
            return "not recorded in either result.json";
        }
        if (baseline.input() == null || candidate.input() == null) {
            return "not recorded in the " + (baseline.input() == null ? "baseline" : "candidate") + "'s result.json";
        }
        return null;
    }

    private static String absent(String value) {
        return value == null ? "(absent)" : value;
    }

    private static String describe(RunResult r) {
        return String.format(Locale.ROOT, "%s (%s, %s, started %s)", r.scenario(), r.strategy(), r.outcome(),
            r.startedAt() == null ? "-" : r.startedAt().truncatedTo(ChronoUnit.SECONDS));
    }

    private List<String> cells(Row r) {
        List<String> cells = new ArrayList<>(List.of(r.metric(), value(r.baseline()), value(r.candidate()),
            signed(r.delta()), relative(r)));
        if (repeated()) {
            cells.add(r.testable(alpha) ? p(r) : "-");
        }
        return cells;
    }

    /** Three decimals, and the bound below that for the smallest: p-values near 0 are what matters. */
    private static String p(Row r) {
        double p = r.test().p();
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** {@code 2.6 -> 2.86 (+10.00%)} for a percentage gate, {@code 0 -> 1.52 (+1.52)} for an absolute one. */
    private static String change(Check c) {
        Row r = c.row();
        return value(r.baseline()) + " -> " + value(r.candidate()) + " ("
            + (c.gate().percent() && r.relative() != null ? relative(r) : signed(r.delta())) + ")";
    }

    private static String value(Double v) {
        return v == null ? "n/a" : Numbers.plain(v);
    }

    private static String signed(Double v) {
        return v == null ? "n/a" : (v > 0 ? "+" : "") + Numbers.plain(v);
    }

    private static String relative(Row r) {
        Double rel = r.relative();
        return rel == null ? "n/a" : rel == 0 ? "0.00%" : String.format(Locale.ROOT, "%+.2f%%", 100 * rel);
    }

    private static void align(StringBuilder b, List<List<String>> table) {
        int[] width = new int[table.get(0).size()];
        for (List<String> row : table) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
