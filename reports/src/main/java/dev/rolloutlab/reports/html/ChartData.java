package dev.rolloutlab.reports.html;

import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.EventType;
import dev.rolloutlab.result.Milestones;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TimelinePoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series the charts plot, computed here rather than in the page so that the page script only draws, and so
 * that what is plotted can be tested without a browser. Columnar arrays keep a 1-hour run small.
 */
final class ChartData {
    static final String STABLE = "#1f77b4";
    static final String CANDIDATE = "#ff7f0e";
    static final String UNKNOWN = "#8c8c8c";
    static final String FAILED = "#d62728";
    static final String ROLLBACK = "#7b3fb3";
    static final String DONE = "#2ca02c";
    static final String STEP = "#444444";
    static final String OUTAGE_FILL = "rgba(214,39,40,0.22)";
    static final String ROLLBACK_FILL = "rgba(123,63,179,0.28)";
    /** The cleanup after traffic was restored: grey, hatched in the page, so it does not read as more rollback. */
    static final String ROLLBACK_TAIL_FILL = "rgba(120,120,120,0.10)";
    static final String ALL_P50 = "#7f7f7f";
    static final String FAULT_FILL = "rgba(255,187,51,0.20)";
    /** A compared run whose measurement is invalid: greyed, so it does not read as a strategy's result. */
    static final String INVALID_RUN = "#b0b0b0";
    /** Further versions and compared runs; stable blue and candidate orange come first. */
    private static final List<String> PALETTE = List.of(STABLE, CANDIDATE, DONE, FAILED, "#9467bd", "#8c564b",
        "#e377c2", "#17becf", "#bcbd22", "#7f7f7f");
    private static final String UNKNOWN_VERSION = "unknown";
    /**
     * Which labels win when markers crowd: 0 what went wrong and the rollback, 1 the other milestones, 2 routine
     * steps, which the page draws as unlabelled ticks when too dense to tell apart.
     */
    private static final Map<EventType, Integer> RANK = Map.of(EventType.ROLLBACK, 0, EventType.FAULT_START, 0,
        EventType.ANALYSIS_FAILED, 0, EventType.ROLLOUT_FAILED, 0, EventType.PLATFORM_ERROR, 0, EventType.SET_WEIGHT, 2,
        EventType.SCALE, 2, EventType.CELL_EXPOSED, 2);
    /** The events drawn as markers; per-replica and analysis-state events only go to the table. */
    private static final Map<EventType, Function<Map<String, Object>, String>> MARKERS =
        new EnumMap<>(EventType.class);
    /** A pod leaves the Service's endpoints when it turns not ready, starts terminating or is gone. */
    private static final Set<EventType> LEAVES_ENDPOINTS = EnumSet.of(EventType.REPLICA_NOT_READY,
        EventType.REPLICA_TERMINATING, EventType.REPLICA_TERMINATED);
    private static final Map<EventType, String> MARKER_COLOR = Map.of(EventType.ROLLBACK, ROLLBACK,
        EventType.ANALYSIS_FAILED, FAILED, EventType.FAULT_START, FAILED, EventType.FAULT_END, FAILED,
        EventType.ROLLOUT_FAILED, FAILED, EventType.PLATFORM_ERROR, FAILED, EventType.ROLLBACK_COMPLETE, ROLLBACK,
        EventType.ROLLOUT_COMPLETE, DONE);

    /**
     * How the analysis writes a rule into its events' {@code rule} detail: {@code metric of scope > value[ms]} and
     * an optional {@code for} / {@code within}; e.g. {@code latencyP95 of candidate > 300ms for 5s}.
     */
    private static final Pattern RULE = Pattern.compile("(errorRate|latencyP50|latencyP95|latencyP99|throughputRatio) of "
        + "(\\S+) [<>] "
        + "([0-9.]+(?:[eE][-+]?[0-9]+)?)(ms)?(?: .*)?");

    static {
        MARKERS.put(EventType.ROLLOUT_START, d -> "rollout start" + (d.containsKey("to") ? " " + d.getOrDefault("from", "")
            + "→" + d.get("to") : ""));
        MARKERS.put(EventType.SET_WEIGHT, d -> "weight " + d.get("weight") + "%");
        MARKERS.put(EventType.SWITCH, d -> "switch → " + d.get("to"));
        MARKERS.put(EventType.SCALE, d -> "scale " + d.get("set") + " → " + d.get("replicas"));
        MARKERS.put(EventType.ROLLBACK, d -> "rollback decided");
        MARKERS.put(EventType.ROLLBACK_COMPLETE, d -> "rollback complete");
        MARKERS.put(EventType.ROLLOUT_COMPLETE, d -> "rollout complete");
        MARKERS.put(EventType.ROLLOUT_FAILED, d -> "rollout failed");
        MARKERS.put(EventType.FAULT_START, d -> "fault: " + d.get("type"));
        MARKERS.put(EventType.FAULT_END, d -> "end: " + d.get("type"));
        MARKERS.put(EventType.ANALYSIS_FAILED, d -> "analysis failed" + (d.get("rule") == null ? ""
            : ": " + d.get("rule")));
        MARKERS.put(EventType.CELL_EXPOSED, d -> "cell " + d.get("cell"));
        MARKERS.put(EventType.PLATFORM_ERROR, d -> "platform error");
    }

    private ChartData() {
    }

    /** Whether an event is drawn as a marker. */
    static boolean isMarker(Event e) {
        return e.kind() != null && MARKERS.containsKey(e.kind());
    }

    /** Everything the run page's charts draw. x is seconds since load start; a timeline point covers [t, t+1). */
    static Map<String, Object> run(RunResult r) {
        List<TimelinePoint> tl = r.timeline();
        Map<String, String> colors = versionColors(r);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("page", "run");
        d.put("xMax", end(r));
        d.put("t", column(tl, p -> p.t()));
        List<Map<String, Object>> stack = new ArrayList<>();
        colors.forEach((version, color) -> {
            if (tl.stream().anyMatch(p -> p.byVersion().containsKey(version))) {
                stack.add(series(version, color, column(tl, p -> p.byVersion().getOrDefault(version, 0L))));
            }
        });
        d.put("stack", stack);
        d.put("errorPct", column(tl, p -> p.requests() == 0 ? null : Html.round(100.0 * p.failed() / p.requests())));
        d.put("errorByVersion", errorSeries(tl, colors));
        d.put("latency", latencySeries(tl, colors));
        d.put("thresholds", thresholds(r));
        if (hasReplicas(r)) {
            d.put("replicas", readyReplicas(r.events(), colors, end(r)));
        }
        d.put("markers", withRestored(markers(r.events()), r));
        d.put("outages", r.measuredOutages().stream().map(o -> List.of(o.start(), o.end())).toList());
        d.put("faults", faultWindows(r.events()));
        d.put("rollback", rollbackWindow(r));
        return d;
    }

    /** The compare page's overlay: one series per run, x in seconds since that run's rollout start. */
    static Map<String, Object> compare(List<RunResult> runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            double zero = rolloutStart(r);
            List<TimelinePoint> tl = r.timeline();
            Map<String, Object> run = new LinkedHashMap<>();
            // An invalid measurement is the generator's limit, not the service's: greyed, named so, no latency line.
            boolean invalid = CompareTable.invalid(r);
            run.put("name", r.strategy() + " · " + r.scenario() + (invalid ? " (INVALID measurement)" : ""));
            run.put("color", invalid ? INVALID_RUN : PALETTE.get(i % PALETTE.size()));
            run.put("invalid", invalid);
            run.put("t", column(tl, p -> Html.round(p.t() - zero)));
            run.put("errorPct", column(tl, p -> p.requests() == 0 ? null
                : Html.round(100.0 * p.failed() / p.requests())));
            run.put("p95", column(tl, p -> invalid ? null : positive(p.p95Ms())));
            run.put("xMax", Html.round(end(r) - zero));
            Double decision = r.milestones().decision();
            run.put("markers", decision == null ? List.of()
                : List.of(marker(decision - zero, "rollback (" + r.strategy() + ")", (String) run.get("color"), 0)));
            out.add(run);
        }
        return Map.of("page", "compare", "runs", out);
    }

    /** Whether the platform reported replicas; a load-only run against an external service has none to chart. */
    static boolean hasReplicas(RunResult r) {
        return r.events().stream().anyMatch(e -> e.is(EventType.REPLICA_READY));
    }

    /** The rollout-start event's time, or load start for a run without a rollout. */
    static double rolloutStart(RunResult r) {
        return r.milestones().start() == null ? 0 : r.milestones().start();
    }

    /** Where the x axis ends: the end of the last timeline second. */
    static double end(RunResult r) {
        return r.timeline().isEmpty() ? 1 : r.timeline().get(r.timeline().size() - 1).t() + 1;
    }

    /**
     * Stable blue, candidate orange (from the rollout-start event, else the first two versions by name), other
     * versions from the palette, and {@code unknown} (failed before reaching any version) grey and last, so that
     * it sits on top of the stack.
     */
    static Map<String, String> versionColors(RunResult r) {
        Set<String> versions = new TreeSet<>(r.metrics().requestsByVersion().keySet());
        r.timeline().forEach(p -> versions.addAll(p.byVersion().keySet()));
        r.events().forEach(e -> {
            if (e.type().startsWith("replica-") && e.detail().get("version") != null) {
                versions.add(String.valueOf(e.detail().get("version")));
            }
        });
        boolean hadUnknown = versions.remove(UNKNOWN_VERSION);
        Map<String, Object> start = r.events().stream().filter(e -> e.is(EventType.ROLLOUT_START))
            .map(Event::detail).findFirst().orElse(Map.of());
        List<String> ordered = new ArrayList<>();
        for (Object v : new Object[] {start.get("from"), start.get("to")}) {
            if (v != null && versions.remove(String.valueOf(v))) {
                ordered.add(String.valueOf(v));
            }
        }
        ordered.addAll(versions);
        Map<String, String> colors = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            colors.put(ordered.get(i), PALETTE.get(i % PALETTE.size()));
        }
        if (hadUnknown) {
            colors.put(UNKNOWN_VERSION, UNKNOWN);
        }
        return colors;
    }

    /**
     * Ready replicas per version as steps: a pod counts from {@code replica-ready} until it turns not ready, starts
     * terminating (the platform takes it out of the endpoints then) or is terminated. Tracked per pod so that a
     * pod's later events never count twice. Events before load start give the state at x = 0.
     */
    static Map<String, Object> readyReplicas(List<Event> events, Map<String, String> colors, double end) {
        Map<String, String> readyPods = new HashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        colors.keySet().stream().filter(v -> !v.equals(UNKNOWN_VERSION)).forEach(v -> count.put(v, 0));
        List<Double> t = new ArrayList<>();
        List<Map<String, Integer>> states = new ArrayList<>();
        for (Event e : events) {
            Object pod = e.detail().get("pod");
            if (pod == null || e.t() > end) {
                continue;
            }
            String version = String.valueOf(e.detail().get("version"));
            EventType type = e.kind();
            boolean changed = type == EventType.REPLICA_READY ? readyPods.putIfAbsent(pod.toString(), version) == null
                : LEAVES_ENDPOINTS.contains(type) && readyPods.remove(pod.toString()) != null;
            if (!changed) {
                continue;
            }
            count.merge(version, type == EventType.REPLICA_READY ? 1 : -1, Integer::sum);
            double x = Math.max(0, e.t());
            if (!t.isEmpty() && t.get(t.size() - 1) == x) {
                states.set(states.size() - 1, Map.copyOf(count));
            } else {
                t.add(x);
                states.add(Map.copyOf(count));
            }
        }
        if (t.isEmpty() || t.get(0) > 0) {
            t.add(0, 0.0);
            states.add(0, count.keySet().stream().collect(LinkedHashMap::new, (m, v) -> m.put(v, 0), Map::putAll));
        }
        List<Map<String, Object>> series = new ArrayList<>();
        count.keySet().forEach(v -> series.add(series(v, colors.get(v),
            states.stream().map(s -> s.getOrDefault(v, 0)).toList())));
        return Map.of("t", t, "series", series.stream().filter(s -> ((List<?>) s.get("values")).stream()
            .anyMatch(n -> !Objects.equals(n, 0))).toList());
    }

    /**
     * Each version's error rate per second as the analysis scopes count it: (failures it served + failures a proxy
     * made on the way to it) / (requests it served + those), so a rule on the candidate's error rate is drawn beside
     * the candidate's own line and not the mix (at a 10 % weight the candidate's 30 % is 3 % of all). None for a
     * result written before failures were kept by version.
     */
    static List<Map<String, Object>> errorSeries(List<TimelinePoint> tl, Map<String, String> colors) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!tl.stream().allMatch(TimelinePoint::failuresByVersionKnown)) {
            return out;
        }
        colors.forEach((version, color) -> {
            if (version.equals(UNKNOWN_VERSION) || tl.stream().noneMatch(p -> p.byVersion().containsKey(version)
                || p.routedFailedByVersion().containsKey(version))) {
                return;
            }
            out.add(series(version, color, column(tl, p -> {
                long routed = p.routedFailedByVersion().getOrDefault(version, 0L);
                long requests = p.byVersion().getOrDefault(version, 0L) + routed;
                return requests == 0 ? null
                    : Html.round(100.0 * (p.failedByVersion().getOrDefault(version, 0L) + routed) / requests);
            })));
        });
        return out;
    }

    /**
     * The latency chart's lines: each served version's p95 (solid) and p99 (dashed) in the version's colour, so a slow
     * candidate at a 10 % weight shows as its own line instead of vanishing into the stable's, and the p50 of all
     * requests. A result written before per-version latencies has the all-requests p50 / p95 / p99 only.
     */
    static List<Map<String, Object>> latencySeries(List<TimelinePoint> tl, Map<String, String> colors) {
        if (tl.stream().allMatch(p -> p.latencyByVersion().isEmpty())) {
            return List.of(series("p50", "#2ca02c", column(tl, p -> positive(p.p50Ms()))),
                series("p95", "#ff7f0e", column(tl, p -> positive(p.p95Ms()))),
                series("p99", "#d62728", column(tl, p -> positive(p.p99Ms()))));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(line(series("all p50", ALL_P50, column(tl, p -> positive(p.p50Ms()))), false, 1));
        colors.forEach((version, color) -> {
            if (tl.stream().noneMatch(p -> p.latencyByVersion().containsKey(version))) {
                return;
            }
            out.add(line(series(version + " p95", color, column(tl, p -> versionLatency(p, version, true))), false,
                1.75));
            out.add(line(series(version + " p99", color, column(tl, p -> versionLatency(p, version, false))), true,
                1.25));
        });
        return out;
    }

    private static Double versionLatency(TimelinePoint p, String version, boolean p95) {
        TimelinePoint.VersionLatency l = p.latencyByVersion().get(version);
        return l == null ? null : positive(p95 ? l.p95Ms() : l.p99Ms());
    }

    private static Map<String, Object> line(Map<String, Object> series, boolean dashed, double width) {
        series.put("dash", dashed);
        series.put("width", width);
        return series;
    }

    /** The chart a rule's threshold is drawn on. */
    enum JudgedChart { REQUESTS, ERRORS, LATENCY }

    /**
     * An analysis rule's threshold, drawn on the chart of the metric it judges, in that chart's unit.
     *
     * @param breachedAt when the rule breached (its {@code analysis-failed} event), or null
     */
    record Threshold(JudgedChart chart, double value, String rule, Double breachedAt) {
    }

    /**
     * The thresholds of the rules the analysis reported on (its {@code analysis} and {@code analysis-failed} events
     * carry the rule) whose metric a chart shows: {@code errorRate} on the error chart (as a percentage),
     * {@code latencyP50/P95/P99} on the latency chart, and {@code throughputRatio} of scope {@code all} on the
     * requests chart, at the ratio times the pre-rollout baseline (successful requests per second over the
     * timeline's whole seconds before rollout start, as the analysis counts it from load start). Restarts and
     * health-check failures have no chart of their own; the event table lists their verdicts.
     */
    static List<Threshold> thresholds(RunResult r) {
        Double baseline = baseline(r);
        Map<String, Threshold> byRule = new LinkedHashMap<>();
        for (Event e : r.events()) {
            boolean failed = e.is(EventType.ANALYSIS_FAILED);
            if (!(failed || e.is(EventType.ANALYSIS)) || e.detail().get("rule") == null) {
                continue;
            }
            String rule = String.valueOf(e.detail().get("rule"));
            Matcher m = RULE.matcher(rule);
            boolean throughput = m.matches() && m.group(1).equals("throughputRatio");
            if (!m.matches() || throughput && (baseline == null || !m.group(2).equals("all"))) {
                continue;
            }
            double value = Double.parseDouble(m.group(3));
            JudgedChart chart = throughput ? JudgedChart.REQUESTS
                : m.group(1).equals("errorRate") ? JudgedChart.ERRORS : JudgedChart.LATENCY;
            Threshold known = byRule.get(rule);
            Double breachedAt = failed ? Double.valueOf(e.t()) : known == null ? null : known.breachedAt();
            byRule.put(rule, new Threshold(chart, Html.round(switch (chart) {
                case REQUESTS -> value * baseline;
                case ERRORS -> 100 * value;
                case LATENCY -> value;
            }), rule, breachedAt));
        }
        return List.copyOf(byRule.values());
    }

    /** Successful requests per second over the whole seconds before rollout start; null without one. */
    private static Double baseline(RunResult r) {
        Double start = r.milestones().start();
        List<TimelinePoint> before = start == null ? List.of()
            : r.timeline().stream().filter(p -> p.t() + 1 <= start).toList();
        return before.isEmpty() ? null
            : before.stream().mapToLong(p -> p.requests() - p.failed()).sum() / (double) before.size();
    }

    /** The markers with {@code traffic restored} (a milestone found in the traffic, not an event), in time order. */
    static List<Map<String, Object>> withRestored(List<Map<String, Object>> markers, RunResult r) {
        Double restored = r.milestones().restored();
        if (restored == null) {
            return markers;
        }
        List<Map<String, Object>> all = new ArrayList<>(markers);
        all.add(marker(restored, "traffic restored", ROLLBACK, 0));
        all.sort(Comparator.comparingDouble(m -> ((Number) m.get("t")).doubleValue()));
        return all;
    }

    static List<Map<String, Object>> markers(List<Event> events) {
        return events.stream().filter(ChartData::isMarker)
            .map(e -> marker(e.t(), MARKERS.get(e.kind()).apply(e.detail()),
                MARKER_COLOR.getOrDefault(e.kind(), STEP), RANK.getOrDefault(e.kind(), 1)))
            .toList();
    }

    /**
     * Each injected fault that lasts, from its {@code fault-start} to the next {@code fault-end} of the same type and
     * target (to the end of the run when none came), as [start, end].
     */
    static List<List<Double>> faultWindows(List<Event> events) {
        List<List<Double>> windows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event start = events.get(i);
            if (!start.is(EventType.FAULT_START) || start.detail().get("duration") == null) {
                continue;
            }
            double end = events.isEmpty() ? start.t() : events.get(events.size() - 1).t();
            for (Event e : events.subList(i + 1, events.size())) {
                if (e.is(EventType.FAULT_END) && Objects.equals(e.detail().get("type"),
                    start.detail().get("type")) && Objects.equals(e.detail().get("target"),
                    start.detail().get("target"))) {
                    end = e.t();
                    break;
                }
            }
            windows.add(List.of(start.t(), end));
        }
        return windows;
    }

    /**
     * The rollback decision, the start of restored traffic (the run's end when traffic was never restored),
     * rollback-complete, and whether the cleanup between the two was still pending at the end; from the run's
     * milestones; null without a rollback.
     */
    static Map<String, Object> rollbackWindow(RunResult r) {
        Milestones m = r.milestones();
        if (m.decision() == null) {
            return null;
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", m.decision());
        w.put("restored", m.restored());
        w.put("complete", m.rolledBack());
        // Traffic is back on stable but the candidate's removal (e.g. abortScaleDownDelay) outlasted the load.
        w.put("cleanupPending", m.restored() != null && m.rolledBack() == null);
        w.put("notRestored", Boolean.FALSE.equals(r.metrics().trafficRestored()));
        return w;
    }

    private static Map<String, Object> marker(double t, String label, String color, int rank) {
        return Map.of("t", Html.round(t), "label", label, "color", color, "rank", rank);
    }

    private static Map<String, Object> series(String name, String color, List<?> values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("color", color);
        s.put("values", values);
        return s;
    }

    /** Log scales cannot show zero; a second without a successful request has no latency. */
    private static Double positive(Double ms) {
        return ms == null || ms <= 0 ? null : ms;
    }

    private static <T> List<T> column(List<TimelinePoint> tl, Function<TimelinePoint, T> f) {
        List<T> out = new ArrayList<>(tl.size());
        tl.forEach(p -> out.add(f.apply(p)));
        return out;
    }
}
