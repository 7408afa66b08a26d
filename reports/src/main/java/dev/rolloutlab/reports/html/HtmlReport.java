package dev.rolloutlab.reports.html;

import dev.rolloutlab.result.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Self-contained HTML reports: one file that works offline and cannot reach the network. uPlot's script and
 * stylesheet are inlined from the classpath, the chart data is inlined as JSON, and a Content-Security-Policy
 * forbids every fetch, so a report opened from a CI artifact shows exactly what the run measured and nothing else.
 * Text from the scenario (names, event details) is escaped for HTML, and the inlined JSON cannot close its
 * {@code <script>} element.
 */
public final class HtmlReport {
    /** Inline script and style only; images only as data: URLs; nothing else, in particular no connection. */
    public static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        + "img-src data:";

    private HtmlReport() {
    }

    /** One run: header, metric cards, charts over time with event markers, the event table. */
    public static String run(RunResult result) {
        return page("rollout-lab · " + result.scenario() + " · " + result.strategy(), RunPage.body(result),
            withCommon(ChartData.run(result), "seconds since load start"));
    }

    /**
     * Several runs under the same load: the seed and metric tables, and error rate and p95 of every run overlaid,
     * each run's time counted from its own rollout start.
     */
    public static String compare(List<RunResult> results) {
        return page("rollout-lab · comparison", ComparePage.body(results),
            withCommon(ChartData.compare(results), "seconds since rollout start"));
    }

    private static Map<String, Object> withCommon(Map<String, Object> data, String xLabel) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put("xLabel", xLabel);
        d.put("colors", Map.of("outage", ChartData.OUTAGE_FILL, "rollback", ChartData.ROLLBACK_FILL,
            "rollbackTail", ChartData.ROLLBACK_TAIL_FILL, "fault", ChartData.FAULT_FILL, "failed", ChartData.FAILED,
            "step", ChartData.STEP));
        return d;
    }

    private static String page(String title, String body, Map<String, Object> data) {
        StringBuilder b = new StringBuilder(256 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>").append(Html.esc(title)).append("</title>\n")
            .append("<style>\n").append(Html.uplotCss()).append("\n</style>\n")
            .append("<style>\n").append(Html.own("report.css")).append("</style>\n")
            .append("</head>\n<body data-errors=\"0\">\n")
            .append("<script>\n").append(Html.own("errors.js")).append("</script>\n")
            .append("<main>\n").append(body).append("</main>\n")
            .append("<script type=\"application/json\" id=\"report-data\">").append(Html.json(data))
            .append("</script>\n")
            .append("<script>\n").append(Html.uplotJs()).append("\n</script>\n")
            .append("<script>\n").append(Html.own("report.js")).append("</script>\n")
            .append("</body>\n</html>\n");
        return b.toString();
    }
}
