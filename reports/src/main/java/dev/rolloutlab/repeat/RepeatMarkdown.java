package dev.rolloutlab.repeat;

import dev.rolloutlab.reports.Numbers;
import dev.rolloutlab.result.GateResult;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.md} of a repeat, for a pull-request comment or {@code $GITHUB_STEP_SUMMARY}: the verdict, the gates
 * on the medians, and every metric's median with its confidence interval and range.
 */
public final class RepeatMarkdown {
    private RepeatMarkdown() {
    }

    public static String render(RepeatSummary s) {
        long failed = s.gates().stream().filter(g -> !g.passed()).count();
        StringBuilder b = new StringBuilder("## ");
        b.append(s.gates().isEmpty() ? "" : failed == 0 ? "✅ " : "❌ ").append(cell(s.scenario())).append(": ")
            .append(s.outcome()).append(", ").append(s.runs().size()).append(" runs");
        b.append(s.gates().isEmpty() ? ", no gates" : failed == 0 ? ", all " + s.gates().size() + " gates passed on "
            + "the medians" : ", " + failed + " of " + s.gates().size() + " gates failed on the medians").append("\n\n");
        b.append("Strategy ").append(cell(s.strategy())).append(", platform ").append(cell(s.platform()))
            .append(". Outcomes: ");
        b.append(String.join(", ", s.outcomes().entrySet().stream()
            .map(e -> e.getValue() + " × " + e.getKey()).toList())).append(".\n");
        s.gates().stream().filter(g -> g.reason() != null).findFirst()
            .ifPresent(g -> b.append("\n> **Invalid measurement.** ").append(cell(g.reason())).append(".\n"));
        if (!s.gates().isEmpty()) {
            b.append("\n### Gates (on the medians)\n\n| metric | bound | median | interval | result |\n"
                + "|---|---|---|---|---|\n");
            for (GateResult g : s.gates()) {
                MetricSummary m = s.metrics().get(g.metric());
                b.append("| ").append(g.metric()).append(" | ").append(bound(g)).append(" | ").append(value(g.actual()))
                    .append(" | ").append(m == null ? "n/a" : interval(m)).append(" | ")
                    .append(g.passed() ? "✅ passed" : "❌ failed").append(" |\n");
            }
        }
        b.append("\n### Metrics\n\n| metric | median | interval | coverage | min | max | runs with a value |\n"
            + "|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, MetricSummary> e : s.metrics().entrySet()) {
            MetricSummary m = e.getValue();
            b.append("| ").append(e.getKey()).append(" | ").append(value(m.median())).append(" | ").append(interval(m))
                .append(" | ").append(m.confidence() == null ? "n/a" : percent(m.confidence())).append(" | ")
                .append(value(m.present().stream().min(Double::compare).orElse(null))).append(" | ")
                .append(value(m.present().stream().max(Double::compare).orElse(null))).append(" | ").append(m.n())
                .append(" of ").append(s.runs().size()).append(" |\n");
        }
        b.append("\nThe interval is the order-statistic confidence interval of the median (distribution-free); its "
            + "coverage is below 95 % with fewer than 6 runs, where it is the range. Each run's own reports are in "
            + "its folder (").append(s.runs().get(0).folder()).append("/ …).\n");
        return b.toString();
    }

    static String interval(MetricSummary m) {
        return m.median() == null ? "n/a" : "[" + value(m.low()) + ", " + value(m.high()) + "]";
    }

    static String bound(GateResult g) {
        String min = g.min() == null ? "" : "min " + Numbers.plain(g.min());
        String max = g.max() == null ? "" : "max " + Numbers.plain(g.max());
        return (min + " " + max).strip();
    }

    static String value(Double v) {
        return v == null ? "n/a" : Numbers.plain(v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static String cell(String s) {
        return s == null ? "-" : s.replace("|", "\\|").replace("<", "&lt;").replaceAll("[\\r\\n]+", " ");
    }
}
