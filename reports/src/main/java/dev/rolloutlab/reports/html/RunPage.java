package dev.rolloutlab.reports.html;

import static dev.rolloutlab.reports.html.Html.esc;

import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.reports.GateText;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TimelinePoint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The body of a one-run report. The charts are empty containers that {@code report.js} fills. */
final class RunPage {
    /** Above this many seconds the timeline table is left out: the charts show it, and big runs stay small. */
    static final int TIMELINE_TABLE_MAX = 120;
    /** Above this many events the event table starts collapsed, so a long run's page lays out fast. */
    private static final int EVENTS_OPEN_MAX = 200;

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
        .withZone(ZoneOffset.UTC);

    private RunPage() {
    }

    static String body(RunResult r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        header(b, r);
        saturation(b, r.generator());
        cards(b, r);
        requestsByName(b, r.metrics());
        charts(b, r);
        events(b, r.events());
        if (!r.timeline().isEmpty() && r.timeline().size() <= TIMELINE_TABLE_MAX) {
            timeline(b, r);
        }
        return b.toString();
    }

    private static void header(StringBuilder b, RunResult r) {
        GeneratorStats g = r.generator();
        b.append("<header><h1>").append(esc(r.scenario())).append("</h1>")
            .append("<span class=\"badge ").append(esc(r.outcome())).append("\">").append(esc(r.outcome()))
            .append("</span><span class=\"meta\">strategy <b>").append(esc(r.strategy())).append("</b> · platform <b>")
            .append(esc(r.platform())).append("</b>");
        if (r.startedAt() != null) {
            b.append(" · started ").append(STARTED.format(r.startedAt()));
        }
        if (g != null) {
            b.append(" · load ").append(Html.number(g.targetRate())).append("/s target, ")
                .append(Html.number(g.achievedRate())).append("/s achieved");
        }
        b.append("</span></header>\n");
    }

    /** A saturated generator sent less than the scenario asked for: every number below is of a lighter load. */
    private static void saturation(StringBuilder b, GeneratorStats g) {
        if (g != null && g.invalidReason() != null) {
            b.append("<div class=\"banner\" id=\"invalid\">Invalid measurement: ").append(Html.esc(g.invalidReason()))
                .append(". No gate passes on it; the numbers below include what the generator could not measure "
                    + "and are not the service's.</div>\n");
        } else if (g != null && g.saturated()) {
            b.append("<div class=\"banner\" id=\"saturated\">Load generator saturated: it sent ")
                .append(Html.number(g.achievedRate())).append(" requests/s of the ").append(Html.number(g.targetRate()))
                .append("/s target (max send lag ").append(Html.number(g.maxSendLagMs())).append(" ms, ")
                .append(g.droppedRequests()).append(" requests dropped). The service saw a lighter load than the ")
                .append("scenario asks for; this machine's lag is not counted as downtime.</div>\n");
        }
    }

    private static void cards(StringBuilder b, RunResult r) {
        Metrics m = r.metrics();
        BlastRadius br = m.blastRadius() == null ? BlastRadius.NONE : m.blastRadius();
        LatencyMs lat = m.latencyMs() == null ? LatencyMs.NONE : m.latencyMs();
        b.append("<section class=\"cards\">\n");
        String unmeasurable = m.unmeasurableOutages() == 0 ? "" : " · " + m.unmeasurableOutages()
            + " unmeasurable (the generator could not send on time)";
        card(b, "Downtime", Html.seconds(m.downtimeSeconds()), (m.downtimeSeconds() == 0 ? "no full outage"
            : (r.measuredOutages().isEmpty() ? "" : r.measuredOutages().size() + " outage(s), ") + "longest "
            + Html.seconds(m.longestOutageSeconds())) + unmeasurable,
            m.downtimeSeconds() > 0 || m.unmeasurableOutages() > 0);
        boolean notRestored = Boolean.FALSE.equals(m.trafficRestored());
        String restored = notRestored ? " <span class=\"tag\">not restored</span>" : "";
        card(b, "Rollback", Html.seconds(m.rollbackSeconds()) + restored, m.rollbackSeconds() == null ? "no rollback"
            : (notRestored ? "traffic never restored; a lower bound" : "decision → traffic restored")
            + (m.rollbackCompleteSeconds() == null ? " · cleanup (candidate removal) still pending at the end"
            : " · cleanup done (rollback complete) after " + Html.seconds(m.rollbackCompleteSeconds())), notRestored);
        card(b, "Detection", Html.seconds(m.detectionSeconds()), m.detectionSeconds() != null
            ? "first bad observation → analysis decision" : m.rollbackSeconds() == null ? "no rollback"
            : r.events().stream().anyMatch(e -> e.is(EventType.ANALYSIS_FAILED)) ? "not measured"
            : "scripted rollback: nothing to detect", false);
        // Exposure and harm are two cards: a blue-green switch sends the candidate 100 % of the traffic and harms
        // nobody when the candidate is good, so neither figure alone is "the blast radius".
        card(b, "Candidate traffic (peak)", Html.percent(br.peakCandidateShare()), "largest share of requests the "
            + "candidate served in any 1 s of the rollout · " + Html.percent(br.candidateRequestShare())
            + " of all requests during the rollout", false);
        String cells = br.cellsTotal() == null ? "" : " · cells exposed " + br.cellsExposed() + " / "
            + br.cellsTotal();
        boolean harmed = br.affectedUserShare() != null && br.affectedUserShare() > 0;
        // After a promotion the candidate keeps serving: the whole exposure, to the end of the run, says what that cost.
        String afterwards = m.exposure() == null ? "" : " · to the end of the run "
            + Html.percent(m.exposure().affectedUserShare()) + " of users, " + Html.percent(m.exposure()
            .failedRequestShare()) + " of requests failed";
        card(b, "Users with a failed request", Html.percent(br.affectedUserShare()), "during the rollout · "
            + Html.percent(br.failedRequestShare()) + " of its requests failed" + cells + afterwards,
            harmed || m.exposure() != null && m.exposure().affectedUserShare() != null
                && m.exposure().affectedUserShare() > 0);
        card(b, "Resource overhead", m.resourceOverhead() == null ? "–"
            : String.format(Locale.ROOT, "%+.0f%%", 100 * m.resourceOverhead()), m.peakReplicas() == null
            ? "no replica events" : "peak " + m.peakReplicas() + " / baseline " + m.baselineReplicas() + " replicas",
            false);
        card(b, "Error rate", Html.percent(m.errorRate()), m.failedRequests() + " of " + m.requests()
            + " requests failed · degraded " + Html.seconds(m.degradedSeconds()), m.failedRequests() > 0);
        card(b, "Latency p95 / p99", Html.number(lat.p95()) + " / " + Html.number(lat.p99()) + " ms", "p50 "
            + Html.number(lat.p50()) + " · max " + Html.number(lat.max()) + " ms (successful requests)", false);
        card(b, "Outcome", esc(r.outcome()), "deployment " + Html.seconds(m.deploymentSeconds()),
            List.of("failed", "aborted", "incomplete").contains(r.outcome()));
        gates(b, r.gates());
        b.append("</section>\n");
    }

    /** {@code value} may hold markup; {@code note} is text. */
    private static void card(StringBuilder b, String key, String value, String note, boolean alert) {
        b.append("<div class=\"card").append(alert ? " alert" : "").append("\"><div class=\"k\">").append(esc(key))
            .append("</div><div class=\"v\">").append(value).append("</div><div class=\"n\">").append(esc(note))
            .append("</div></div>\n");
    }

    private static void gates(StringBuilder b, List<GateResult> gates) {
        long failed = gates.stream().filter(g -> !g.passed()).count();
        b.append("<div class=\"card wide").append(failed > 0 ? " alert" : "")
            .append("\" id=\"gates\"><div class=\"k\">Gates</div><div class=\"v\">").append(gates.isEmpty() ? "none" : failed == 0 ? "all passed"
                : failed + " of " + gates.size() + " failed").append("</div><ul class=\"gates\">");
        for (GateResult g : gates) {
            b.append("<li class=\"").append(g.passed() ? "pass\">✓ " : "fail\">✗ ").append(esc(g.metric()))
                .append(' ').append(esc(GateText.actual(g))).append(" (").append(esc(GateText.bound(g))).append(')')
                .append(g.reason() == null ? "" : ": " + esc(g.reason())).append("</li>");
        }
        b.append("</ul></div>\n");
    }

    private static void charts(StringBuilder b, RunResult r) {
        b.append("<section class=\"charts\">\n<div class=\"key\">")
            .append(swatch(ChartData.OUTAGE_FILL, "full outage (" + r.measuredOutages().size() + ")"));
        if (!ChartData.faultWindows(r.events()).isEmpty()) {
            b.append(swatch(ChartData.FAULT_FILL, "injected fault"));
        }
        Map<String, Object> rollback = ChartData.rollbackWindow(r);
        if (rollback != null) {
            Double restoredAt = r.milestones().restored();
            b.append(swatch(ChartData.ROLLBACK_FILL, "rollback: decision → traffic restored" + (restoredAt == null
                ? " (never: to the end of the run)" : " (" + Html.seconds(restoredAt - r.milestones().decision())
                + ")")));
            Double complete = r.milestones().rolledBack();
            if (restoredAt != null && (complete == null || complete > restoredAt)) {
                b.append("<span><i class=\"sw hatch\"></i>").append(esc("cleanup: traffic already on stable, "
                    + "candidate being removed" + (complete == null ? " (still pending when the load ended)"
                    : " → rollback complete"))).append("</span>");
            }
        }
        b.append("<span><i class=\"sw line\"></i>event: labelled in the lane above each chart; hover a line for "
                + "its label (all events in the table below)</span>")
            .append("<span>x: seconds since load start · drag to zoom, double-click to reset</span></div>\n");
        List<ChartData.Threshold> thresholds = ChartData.thresholds(r);
        chartBox(b, "chart-requests", "Requests per second by served version (stacked; unknown = failed before "
            + "reaching a version)" + judgedBy(thresholds, ChartData.JudgedChart.REQUESTS));
        boolean errorsByVersion = !ChartData.errorSeries(r.timeline(), ChartData.versionColors(r)).isEmpty();
        chartBox(b, "chart-errors", (errorsByVersion ? "Error rate per second: of all requests (red, filled) and of "
            + "each version (its requests and the failures on the way to it)" : "Error rate per second")
            + judgedBy(thresholds, ChartData.JudgedChart.ERRORS));
        boolean byVersion = r.timeline().stream().anyMatch(p -> !p.latencyByVersion().isEmpty());
        chartBox(b, "chart-latency", (byVersion ? "Latency of successful requests per second: each version's p95 "
            + "(solid) and p99 (dashed), p50 of all (grey)" : "Latency of successful requests: p50 / p95 / p99 per "
            + "second") + judgedBy(thresholds, ChartData.JudgedChart.LATENCY));
        if (ChartData.hasReplicas(r)) {
            chartBox(b, "chart-replicas", "Ready replicas by version");
        }
        b.append("</section>\n");
    }

    /** Names the analysis rules whose thresholds a chart draws (the dashed horizontal lines). */
    private static String judgedBy(List<ChartData.Threshold> thresholds, ChartData.JudgedChart chart) {
        List<String> rules = thresholds.stream().filter(t -> t.chart() == chart).map(t -> t.rule()
            + (t.breachedAt() == null ? "" : String.format(Locale.ROOT, ", breached at %.1f s", t.breachedAt())))
            .toList();
        return rules.isEmpty() ? "" : " · analysis rule" + (rules.size() > 1 ? "s" : "") + " (dashed): "
            + String.join("; ", rules);
    }

    private static String swatch(String color, String label) {
        return "<span><i class=\"sw\" style=\"background:" + color + "\"></i>" + esc(label) + "</span>";
    }

    private static void chartBox(StringBuilder b, String id, String title) {
        b.append("<h3>").append(esc(title)).append("</h3><div class=\"chart\" id=\"").append(id).append("\"></div>\n");
    }

    private static void events(StringBuilder b, List<Event> events) {
        b.append("<details id=\"events\"").append(events.size() <= EVENTS_OPEN_MAX ? " open" : "")
            .append("><summary>Events (").append(events.size()).append(")</summary><div class=\"scroll\">")
            .append("<table class=\"data\"><thead><tr><th class=\"num\">t (s)</th><th>event</th><th>detail</th>")
            .append("</tr></thead><tbody>\n");
        for (Event e : events) {
            boolean marker = ChartData.isMarker(e);
            b.append("<tr><td class=\"num\">").append(String.format(Locale.ROOT, "%.3f", e.t())).append("</td><td>")
                .append(marker ? "<b>" : "").append(esc(e.type())).append(marker ? "</b>" : "").append("</td><td>")
                .append(esc(e.detail().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                    .collect(Collectors.joining(", ")))).append("</td></tr>\n");
        }
        b.append("</tbody></table></div></details>\n");
    }

    private static void timeline(StringBuilder b, RunResult r) {
        List<String> versions = ChartData.versionColors(r).keySet().stream().toList();
        List<String> header = new ArrayList<>(List.of("t (s)", "requests", "failed", "error %"));
        versions.forEach(v -> header.add(v));
        header.addAll(List.of("p50 ms", "p95 ms", "p99 ms", "max ms"));
        List<List<String>> rows = new ArrayList<>();
        for (TimelinePoint p : r.timeline()) {
            String errorPercent = p.requests() == 0 ? "–" : Html.number(100.0 * p.failed() / p.requests());
            List<String> row = new ArrayList<>(List.of(plain(p.t()), String.valueOf(p.requests()),
                String.valueOf(p.failed()), errorPercent));
            Map<String, Long> by = p.byVersion();
            versions.forEach(v -> row.add(String.valueOf(by.getOrDefault(v, 0L))));
            row.addAll(List.of(Html.number(p.p50Ms()), Html.number(p.p95Ms()), Html.number(p.p99Ms()),
                Html.number(p.maxMs())));
            rows.add(row);
        }
        b.append("<details id=\"timeline\"><summary>Timeline (").append(rows.size())
            .append(" seconds)</summary><div class=\"scroll\">");
        Html.table(b, "data", header, rows);
        b.append("</div></details>\n");
    }

    /** The request mix, one row per kind; nothing for a load of one kind, which the cards cover. */
    private static void requestsByName(StringBuilder b, Metrics m) {
        if (m.requestsByName().size() < 2) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        m.requestsByName().forEach((name, n) -> rows.add(List.of(name, String.valueOf(n.requests()),
            String.valueOf(n.failed()), Html.percent(n.requests() == 0 ? null : n.failed() / (double) n.requests()),
            Html.number(n.p50Ms()), Html.number(n.p95Ms()), Html.number(n.p99Ms()), Html.number(n.maxMs()))));
        b.append("<section id=\"requests-by-name\"><h2>Requests by name</h2>");
        Html.table(b, "data", List.of("request", "requests", "failed", "error %", "p50 ms", "p95 ms", "p99 ms",
            "max ms"), rows);
        b.append("</section>\n");
    }

    /** A gate's number as written in a scenario: no exponent, no trailing zeros. */
    private static String plain(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
