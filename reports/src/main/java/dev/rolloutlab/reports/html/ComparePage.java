package dev.rolloutlab.reports.html;

import static dev.rolloutlab.reports.html.Html.esc;

import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.result.RunResult;
import java.util.List;
import java.util.stream.Collectors;

/** The body of a comparison: the same tables as {@code compare.md}, then the overlaid timelines. */
final class ComparePage {
    private ComparePage() {
    }

    static String body(List<RunResult> runs) {
        CompareTable table = new CompareTable(runs);
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("<header><h1>Strategy comparison</h1><span class=\"meta\">")
            .append(esc(runs.stream().map(RunResult::scenario).collect(Collectors.joining(" · "))))
            .append("</span></header>\n");
        table.invalidNote().ifPresent(note -> b.append("<div class=\"banner\" id=\"invalid\">")
            .append(esc(note).replace("\n", "<br>")).append(".<br>They are greyed in the charts, without a latency line.")
            .append("</div>\n"));
        if (table.hasClaims()) {
            b.append("<h2>Claims beside what was measured</h2>\n<p class=\"meta\">").append(esc(table.claimsNote()))
                .append("</p>\n");
            rows(b, table.seedTable());
        }
        b.append("<h2>Measured</h2>\n");
        rows(b, table.metricTable());
        b.append("<section class=\"charts\">\n<div class=\"key\"><span>one colour per run · x: seconds since each ")
            .append("run's rollout start (load start for a run without one) · dashed: rollout start and each run's ")
            .append("rollback · drag to zoom, double-click to reset</span></div>\n")
            .append("<h3>Error rate per second</h3><div class=\"chart\" id=\"chart-errors\"></div>\n")
            .append("<h3>p95 latency of successful requests per second</h3>")
            .append("<div class=\"chart\" id=\"chart-latency\"></div>\n</section>\n")
            .append("<p class=\"meta\">Definitions: docs/metrics.md. - = not applicable to the run.</p>\n");
        return b.toString();
    }

    private static void rows(StringBuilder b, List<List<String>> table) {
        b.append("<div class=\"scroll\">");
        Html.table(b, "data", table.get(0), table.subList(1, table.size()));
        b.append("</div>\n");
    }
}
