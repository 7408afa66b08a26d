package dev.rolloutlab.reports;

import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.GeneratorLimited;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code summary.md}: one run in a few lines of GitHub-flavoured Markdown, short enough for a pull-request comment or
 * a CI step summary (plain Markdown, no HTML, which those places strip or escape). The whole story is in
 * {@code report.html}; this says whether the rollout hurt users and whether the gates held.
 */
public final class SummaryMarkdown {
    /** The milestones a reviewer needs to follow the rollout; the rest (replicas, weights) is in report.html. */
    private static final Set<EventType> KEY_EVENTS = EnumSet.of(EventType.ROLLOUT_START, EventType.ROLLBACK,
        EventType.ROLLBACK_COMPLETE, EventType.ROLLOUT_COMPLETE, EventType.ROLLOUT_FAILED, EventType.FAULT_START,
        EventType.ANALYSIS_FAILED, EventType.GATE_ABORT);
    /** Keeps a comment readable (and under the hosts' size limits) when a scenario injects many faults. */
    private static final int MAX_EVENTS = 30;

    private SummaryMarkdown() {
    }

    public static String render(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(title(r)).append("\n\n");
        b.append(String.format(Locale.ROOT, "Strategy %s on %s platform, started %s.%n%n", cell(r.strategy()),
            cell(r.platform()), r.startedAt() == null ? "-" : r.startedAt().truncatedTo(ChronoUnit.SECONDS)));
        String invalid = GateText.invalidReason(r);
        if (invalid != null) {
            b.append("> ⛔ **Invalid measurement**: ").append(cell(invalid)).append(". The load generator could not "
                + "make this run's measurement, so **every gate fails** whatever its value; fix the load or the "
                + "machine and run again.\n\n");
        } else if (r.generator().saturated()) {
            b.append(String.format(Locale.ROOT, "> ⚠️ The load generator could not keep its schedule (max send lag "
                + "%.1f ms, %d requests dropped): latencies include this machine's lag.%n%n",
                r.generator().maxSendLagMs(), r.generator().droppedRequests()));
        }
        b.append("| metric | value |\n|---|---|\n");
        metricRows(r).forEach((name, value) -> b.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        requestsByName(r.metrics(), b);
        if (!r.gates().isEmpty()) {
            b.append("\n### Gates\n\n| metric | bound | actual | result |\n|---|---|---|---|\n");
            for (GateResult g : r.gates()) {
                b.append("| ").append(cell(g.metric())).append(" | ").append(cell(GateText.bound(g))).append(" | ")
                    .append(cell(GateText.actual(g))).append(" | ").append(gateVerdict(g)).append(" |\n");
            }
        }
        List<Event> events = r.events().stream().filter(e -> e.kind() != null && KEY_EVENTS.contains(e.kind())).toList();
        if (!events.isEmpty()) {
            b.append("\n### Events\n\n| t | event | detail |\n|---|---|---|\n");
            for (Event e : events.subList(0, Math.min(events.size(), MAX_EVENTS))) {
                b.append(String.format(Locale.ROOT, "| %.3f s | %s | %s |%n", e.t(), cell(e.type()), detail(e)));
            }
            if (events.size() > MAX_EVENTS) {
                b.append("\n").append(events.size() - MAX_EVENTS).append(" more events in result.json.\n");
            }
        }
        return b.toString();
    }

    /** One row per kind of the request mix; nothing for a load of one kind, which the table above covers. */
    private static void requestsByName(Metrics m, StringBuilder b) {
        if (m.requestsByName().size() < 2) {
            return;
        }
        b.append("\n### Requests by name\n\n| request | requests | failed | p50 | p95 | p99 | max |\n"
            + "|---|---|---|---|---|---|---|\n");
        m.requestsByName().forEach((name, n) -> b.append(String.format(Locale.ROOT,
            "| %s | %d | %d (%s) | %s | %s | %s | %s |%n", cell(name), n.requests(), n.failed(),
            percent(n.requests() == 0 ? 0 : n.failed() / (double) n.requests()), ms(n.p50Ms()), ms(n.p95Ms()),
            ms(n.p99Ms()), ms(n.maxMs()))));
    }

    private static String ms(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    /** ✅ / ❌ and, when the gate had no verdict on a value, why: no value, invalid, or it stopped the run. */
    private static String gateVerdict(GateResult g) {
        if (g.reason() != null && g.reason().startsWith("invalid measurement")) {
            return "❌ not measured: invalid measurement (above)";
        }
        String mark = g.passed() ? "✅ passed" : g.abortedAt() != null ? "❌ failed, **stopped the run**" : "❌ failed";
        return g.reason() == null ? mark : mark + ": " + cell(g.reason());
    }

    private static String title(RunResult r) {
        String head = cell(r.scenario()) + ": " + cell(r.outcome());
        if (r.gates().isEmpty()) {
            return head + ", no gates";
        }
        long failed = r.gates().stream().filter(g -> !g.passed()).count();
        return failed == 0 ? "✅ " + head + ", all " + r.gates().size() + " gates passed"
            : "❌ " + head + ", " + failed + " of " + r.gates().size() + " gates failed";
    }

    /** A row that does not apply to the run (a rollback of a promoted run, replicas of a load-only run) is left out. */
    private static Map<String, String> metricRows(RunResult r) {
        Metrics m = r.metrics();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("downtime", String.format(Locale.ROOT, "%s (longest outage %s)%s", seconds(m.downtimeSeconds()),
            seconds(m.longestOutageSeconds()), m.unmeasurableOutages() == 0 ? ""
                : ", " + m.unmeasurableOutages() + " more outage(s) **unmeasurable**: the generator could not send "
                + "on time around them"));
        if (m.rollbackSeconds() != null) {
            rows.put("rollback", seconds(m.rollbackSeconds()) + " to restore traffic"
                + (Boolean.FALSE.equals(m.trafficRestored()) ? " (**not restored** before the run ended)" : "")
                + (m.rollbackCompleteSeconds() != null ? ", complete after " + seconds(m.rollbackCompleteSeconds())
                : "rolled-back".equals(r.outcome()) && Boolean.TRUE.equals(m.trafficRestored())
                ? "; the candidate was still being scaled down when the load ended"
                : ""));
        }
        if (m.detectionSeconds() != null) {
            rows.put("detection", seconds(m.detectionSeconds()));
        } else if (m.rollbackSeconds() != null
            && r.events().stream().noneMatch(e -> e.is(EventType.ANALYSIS_FAILED))) {
            rows.put("detection", "none: the rollback was scripted");
        }
        if (m.deploymentSeconds() != null) {
            rows.put("deployment", seconds(m.deploymentSeconds()));
        }
        String blast = blastRadius(m.blastRadius());
        if (!blast.isEmpty()) {
            rows.put("blast radius", blast);
        }
        if (m.resourceOverhead() != null) {
            rows.put("overhead", String.format(Locale.ROOT, "%+.0f%% (%d replicas at peak, %d before)",
                100 * m.resourceOverhead(), m.peakReplicas(), m.baselineReplicas()));
        }
        rows.put("error rate", String.format(Locale.ROOT, "%s (%d failed), degraded %s", percent(m.errorRate()),
            m.failedRequests(), seconds(m.degradedSeconds())));
        if (m.latencyMs().p95() != null) {
            rows.put("p95 / p99", String.format(Locale.ROOT, "%.2f / %.2f ms", m.latencyMs().p95(), m.latencyMs().p99()));
        }
        rows.put("requests", String.format(Locale.ROOT, "%d (%.1f/s of %.1f/s planned)", m.requests(),
            r.generator().achievedRate(), r.generator().targetRate()));
        GeneratorLimited limited = m.generatorLimited();
        if (limited != null && limited.requests() > 0) {
            rows.put("generator-limited", String.format(Locale.ROOT, "%d (%s of the planned load; expired unsent %d, "
                + "no connection %d, loop late %d): in no other metric", limited.requests(), percent(limited.share()),
                limited.byCause().expiredUnsent(), limited.byCause().noConnection(), limited.byCause().loopLate()));
        }
        return rows;
    }

    private static String blastRadius(BlastRadius br) {
        List<String> parts = new ArrayList<>();
        if (br.peakCandidateShare() != null) {
            parts.add("peak candidate share " + percent(br.peakCandidateShare()));
        }
        if (br.failedRequestShare() != null) {
            parts.add("failed " + percent(br.failedRequestShare()));
        }
        if (br.affectedUserShare() != null) {
            parts.add("users affected " + percent(br.affectedUserShare()));
        }
        if (br.cellsExposed() != null) {
            parts.add(br.cellsExposed() + " of " + br.cellsTotal() + " cells");
        }
        return String.join(", ", parts);
    }

    private static String detail(Event e) {
        StringJoiner j = new StringJoiner(", ");
        for (Map.Entry<String, Object> d : e.detail().entrySet()) {
            Object v = d.getValue();
            j.add(d.getKey() + " " + (v instanceof Number n ? Numbers.plain(n.doubleValue()) : cell(String.valueOf(v))));
        }
        return j.toString();
    }

    /** Text from the run (names, reasons) must not break the table or start Markdown of its own. */
    static String cell(String s) {
        if (s == null) {
            return "-";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")
            .replaceAll("[\\r\\n]+", " ");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }
}
