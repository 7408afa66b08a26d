package dev.rolloutlab.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutlab.reports.SeedClaims;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RequestsOfName;
import dev.rolloutlab.result.RunResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final String HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;<!--";
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*>");
    private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "input", "link", "wbr");

    @Test
    void pageIsWellFormedWithTheCspFirstAndEveryChartContainer() {
        String html = HtmlReport.run(SyntheticRuns.canary("canary-bad-release", 60));

        assertThat(html).startsWith("<!DOCTYPE html>");
        int csp = html.indexOf("<meta http-equiv=\"Content-Security-Policy\" content=\"" + HtmlReport.CSP + "\">");
        assertThat(csp).isPositive().isLessThan(html.indexOf("<style>")).isLessThan(html.indexOf("<script"));
        assertThat(HtmlReport.CSP).contains("default-src 'none'").doesNotContain("connect-src", "http");
        assertThat(html).contains("id=\"chart-requests\"", "id=\"chart-errors\"", "id=\"chart-latency\"",
            "id=\"chart-replicas\"", "id=\"report-data\"", "data-errors=\"0\"");
        assertBalanced(html);
    }

    @Test
    void everythingIsInlinedAndNothingPointsAtTheNetwork() {
        String html = HtmlReport.run(SyntheticRuns.canary("canary-bad-release", 60));

        assertThat(html).contains("var uPlot=function()", ".uplot");
        assertThat(html).doesNotContainPattern("(?i)<script[^>]*\\ssrc\\s*=").doesNotContainPattern("(?i)<link\\b");
        assertThat(html).doesNotContainPattern("(?i)\\b(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//")
            .doesNotContainPattern("(?i)url\\(\\s*[\"']?\\s*(https?:)?//")
            .doesNotContainPattern("(?i)@import");
    }

    @Test
    void scenarioTextIsEscapedInTheMarkupAndCannotCloseTheDataScript() throws Exception {
        RunResult r = SyntheticRuns.canary(HOSTILE, 30);
        List<Event> events = new ArrayList<>(r.events());
        events.add(new Event(5, "rollout-start", Map.of("from", HOSTILE, "to", "v2")));
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), r.scenario(), HOSTILE, r.platform(),
            r.startedAt(), HOSTILE, r.metrics(), r.generator(), events, r.timeline(), r.gates(), r.outages()));

        assertThat(html).doesNotContain("<script>alert", "<img", "alert(1)</script>");
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)"
            + "&gt;&quot;&#39;&amp;amp;&lt;!--");
        // Exactly the page's own four scripts: error counter, data, uPlot, charts.
        assertThat(count(html, "<script")).isEqualTo(4);
        assertThat(count(html, "</script>")).isEqualTo(4);
        JsonNode data = data(html);
        assertThat(labels(data)).contains("rollout start " + HOSTILE + "→v2");
        assertBalanced(html);
    }

    @Test
    void markersAreTheEventsThatMatterAndTheTableListsAllEvents() throws Exception {
        RunResult r = SyntheticRuns.canary("canary-bad-release", 60);
        String html = HtmlReport.run(r);
        JsonNode data = data(html);

        assertThat(labels(data)).startsWith("rollout start v1→v2", "scale v2 → 1", "weight 20%", "fault: outage",
            "end: outage", "analysis failed: errorRate of candidate > 0.05", "rollback decided", "weight 0%",
            "traffic restored", "rollback complete");
        assertThat(labels(data)).noneMatch(l -> l.contains("replica"));
        assertThat(data.get("outages").get(0).get(0).asDouble()).isEqualTo(SyntheticRuns.OUTAGE_START);
        assertThat(data.get("rollback").get("start").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK);
        assertThat(data.get("rollback").get("restored").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK + 0.4);
        assertThat(data.get("rollback").get("complete").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK + 2.0);
        assertThat(count(html, "<tr><td class=\"num\">")).isEqualTo(r.events().size());
        assertThat(html).contains("<b>fault-start</b>", ">replica-ready<");
    }

    @Test
    void cardsShowWhatUsersFeltAndTheGates() {
        String html = HtmlReport.run(SyntheticRuns.canary("canary-bad-release", 60));

        assertThat(html).contains(">Downtime<", ">1.50 s<", "1 outage(s), longest 1.50 s", ">400 ms<",
            "cleanup done (rollback complete) after 2.00 s", ">18.00 s<", ">Candidate traffic (peak)<", ">20.00%<",
            "15.00% of all requests during the rollout", ">Users with a failed request<", ">35.00%<",
            "during the rollout · 20.00% of its requests failed", "peak 5 / baseline 4 replicas", ">+25%<",
            "✗ downtimeSeconds 1.5 (max 0)", "✓ rollbackSeconds 0.4 (max 1)", "1 of 2 failed",
            "class=\"badge rolled-back\"");
        assertThat(html).doesNotContain("not restored", "id=\"saturated\"");
    }

    @Test
    void aRequestMixGetsATableOfItsKindsAndASingleKindNone() {
        RunResult r = SyntheticRuns.canary("mix", 60);
        Metrics m = r.metrics();
        Map<String, RequestsOfName> byName = new LinkedHashMap<>();
        byName.put("home", new RequestsOfName(5700, 0, 1.1, 2.4, 4.0, 9.0));
        byName.put("<pay>", new RequestsOfName(300, 3, 52.0, 61.5, 70.0, 90.0));
        Metrics mixed = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), m.rollbackCompleteSeconds(),
            m.detectionSeconds(), m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(),
            m.resourceOverhead(), m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), m.trafficRestored(),
            m.unmeasurableOutages(), m.generatorLimited(), m.failuresByRoutedVersion(), m.exposure(), byName);
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(),
            r.startedAt(), r.outcome(), mixed, r.generator(), r.events(), r.timeline(), r.gates(), r.outages()));

        assertThat(html).contains("<h2>Requests by name</h2>", "<td>home</td><td>5700</td><td>0</td>",
            "<td>&lt;pay&gt;</td><td>300</td><td>3</td><td>1.00%</td><td>52.00</td><td>61.50</td><td>70.00</td>"
                + "<td>90.00</td>");
        assertBalanced(html);
        assertThat(HtmlReport.run(r)).doesNotContain("Requests by name");
    }

    /** The detection card never says "no rollback" beside a rolled-back outcome. */
    @Test
    void aScriptedRollbacksDetectionCardSaysItWasScripted() {
        RunResult r = SyntheticRuns.canary("recreate-scripted", 60);
        Metrics m = r.metrics();
        Metrics scripted = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), m.rollbackSeconds(), m.rollbackCompleteSeconds(), null,
            m.deploymentSeconds(), m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(),
            m.latencyMs(), m.requestsByVersion(), m.failuresByCause(), m.trafficRestored());
        List<Event> events = r.events().stream().filter(e -> !e.type().equals("analysis-failed")).toList();
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(),
            r.startedAt(), r.outcome(), scripted, r.generator(), events, r.timeline(), r.gates(), r.outages()));

        assertThat(html).contains("scripted rollback: nothing to detect", "class=\"badge rolled-back\"")
            .doesNotContain("no rollback");
        assertThat(HtmlReport.run(r)).contains("first bad observation → analysis decision");
    }

    @Test
    void rollbackWithoutRestoredTrafficAndASaturatedGeneratorAreLoud() throws Exception {
        RunResult r = SyntheticRuns.canary("canary-bad-release", 60);
        Metrics m = r.metrics();
        Metrics unrestored = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), m.downtimeSeconds(),
            m.longestOutageSeconds(), m.degradedSeconds(), 30.0, null, m.detectionSeconds(), m.deploymentSeconds(),
            m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(), m.latencyMs(),
            m.requestsByVersion(), m.failuresByCause(), false);
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(),
            r.startedAt(), r.outcome(), unrestored, new dev.rolloutlab.result.GeneratorStats(1000, 640, 900, true, 12),
            r.events(), r.timeline(), r.gates(), r.outages()));

        assertThat(html).contains("<span class=\"tag\">not restored</span>", "id=\"saturated\"",
            "it sent 640 requests/s of the 1000/s target");
        assertThat(data(html).get("rollback").get("notRestored").asBoolean()).isTrue();
    }

    @Test
    void anInvalidMeasurementAndItsUnmeasurableOutageAreLoud() {
        RunResult r = SyntheticRuns.canary("capped", 60);
        Metrics m = r.metrics();
        Metrics limited = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), 0, 0, m.degradedSeconds(),
            m.rollbackSeconds(), m.rollbackCompleteSeconds(), m.detectionSeconds(), m.deploymentSeconds(),
            m.blastRadius(), m.peakReplicas(), m.baselineReplicas(), m.resourceOverhead(), m.latencyMs(),
            m.requestsByVersion(), m.failuresByCause(), m.trafficRestored(), 1, null, java.util.Map.of());
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(),
            r.startedAt(), "invalid", limited, new dev.rolloutlab.result.GeneratorStats(1000, 1000, 900, true, 12)
            .invalid("the generator could not make 12 of 60000 requests on time"), r.events(), r.timeline(),
            r.gates(), r.outages()));

        assertThat(html).contains("id=\"invalid\"", "the generator could not make 12 of 60000 requests on time",
            "1 unmeasurable (the generator could not send on time)").doesNotContain("id=\"saturated\"");
    }

    @Test
    void stackPutsStableFirstCandidateNextAndUnknownGreyOnTop() throws Exception {
        JsonNode stack = data(HtmlReport.run(SyntheticRuns.canary("c", 60))).get("stack");

        assertThat(StreamSupport.stream(stack.spliterator(), false).map(s -> tuple(s.get("name").asText(),
            s.get("color").asText()))).containsExactly(tuple("v1", ChartData.STABLE), tuple("v2", ChartData.CANDIDATE),
            tuple("unknown", ChartData.UNKNOWN));
        assertThat(stack.get(2).get("values").get(20).asLong()).isEqualTo(750);
    }

    @Test
    void readyReplicasCountEachPodOnceFromReadyUntilNotReadyOrGone() {
        List<Event> events = List.of(
            new Event(-1, "replica-ready", Map.of("pod", "a", "version", "v1")),
            new Event(-1, "replica-ready", Map.of("pod", "b", "version", "v1")),
            new Event(2, "replica-ready", Map.of("pod", "c", "version", "v2")),
            new Event(2.5, "replica-ready", Map.of("pod", "c", "version", "v2")),
            new Event(3, "replica-not-ready", Map.of("pod", "a", "version", "v1")),
            new Event(4, "replica-terminated", Map.of("pod", "a", "version", "v1")),
            new Event(5, "replica-terminating", Map.of("pod", "c", "version", "v2")),
            new Event(6, "replica-terminated", Map.of("pod", "c", "version", "v2")));

        Map<String, Object> steps = ChartData.readyReplicas(events, Map.of("v1", ChartData.STABLE, "v2",
            ChartData.CANDIDATE), 10);

        assertThat(steps.get("t")).isEqualTo(List.of(0.0, 2.0, 3.0, 5.0));
        assertThat(steps.get("series")).asList().extracting("name", "values").containsExactlyInAnyOrder(
            tuple("v1", List.of(2, 2, 1, 1)), tuple("v2", List.of(0, 1, 1, 0)));
    }

    @Test
    void aLoadOnlyRunWithoutReplicasOrTimelineHasNoReplicaChartAndNothingMissing() throws Exception {
        RunResult r = SyntheticRuns.canary("external", 10);
        Metrics none = new Metrics(0, 0, 0, 0, 0, 0, null, null, null, null, null, null, null, null, null, Map.of(),
            null, null);
        String html = HtmlReport.run(new RunResult(r.schemaVersion(), "external", "none", "local", null, "completed",
            none, null, List.of(), List.of(), List.of(), null));

        assertThat(html).doesNotContain("id=\"chart-replicas\"", "id=\"timeline\"").contains("no full outage",
            "no rollback", "Events (0)");
        assertThat(data(html).has("replicas")).isFalse();
        assertThat(data(html).get("rollback").isNull()).isTrue();
        assertBalanced(html);
    }

    @Test
    void shortRunsListTheTimelineLongRunsDoNot() {
        assertThat(HtmlReport.run(SyntheticRuns.canary("c", RunPage.TIMELINE_TABLE_MAX)))
            .contains("id=\"timeline\"", "Timeline (120 seconds)");
        assertThat(HtmlReport.run(SyntheticRuns.canary("c", RunPage.TIMELINE_TABLE_MAX + 1)))
            .doesNotContain("id=\"timeline\"");
    }

    @Test
    void anHourAt3600PointsBuildsFastAndStaysSmall() throws Exception {
        RunResult hour = SyntheticRuns.canary("one-hour", 3600);
        HtmlReport.run(hour);

        long start = System.nanoTime();
        String html = HtmlReport.run(hour);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(500);
        assertThat(html.length()).isBetween(200_000, 1_500_000);
        assertThat(data(html).get("t")).hasSize(3600);
        assertThat(html).contains("<details id=\"events\"><summary>Events (");
    }

    @Test
    void compareHasTheSeedAndMetricTablesAndTimelinesAlignedOnRolloutStart() throws Exception {
        RunResult seed = SyntheticRuns.canary("seed-canary", 60);
        RunResult canary = new RunResult(seed.schemaVersion(), seed.scenario(), seed.strategy(), seed.platform(),
            seed.startedAt(), seed.outcome(), seed.metrics(), seed.generator(), seed.events(), seed.timeline(),
            seed.gates(), seed.outages(), seed.milestones(), SeedClaims.of("canary"));
        RunResult other = SyntheticRuns.canary(HOSTILE, 40);
        String html = HtmlReport.compare(List.of(canary, other));

        assertThat(html).contains("<th>downtime: claim</th>", "<td>&lt; 1 min</td>", "<th>peak candidate share</th>",
            "<td>seed-canary</td>", "id=\"chart-errors\"", "id=\"chart-latency\"", "Times are NOT on the same scale");
        // Only the run that declares claims has a claims row (the strategy column holds canary once).
        assertThat(count(html, "<td>canary</td>")).isEqualTo(1);
        assertThat(HtmlReport.compare(List.of(other))).doesNotContain("claim", "Claims");
        assertThat(html).doesNotContain("<script>alert");
        assertBalanced(html);
        JsonNode runs = data(html).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("t").get(0).asDouble()).isEqualTo(-10.0);
        assertThat(runs.get(0).get("color").asText()).isNotEqualTo(runs.get(1).get("color").asText());
        assertThat(runs.get(0).get("markers").get(0).get("t").asDouble()).isEqualTo(SyntheticRuns.ROLLBACK - 10);
    }

    @Test
    void compareGreysAnInvalidRunAndPlotsNoLatencyForIt() throws Exception {
        RunResult canary = SyntheticRuns.canary("seed-canary", 60);
        RunResult bad = SyntheticRuns.canary("capped", 60);
        RunResult invalid = new RunResult(bad.schemaVersion(), bad.scenario(), bad.strategy(), bad.platform(),
            bad.startedAt(), "invalid", bad.metrics(), bad.generator().invalid("the generator could not make 900 of "
            + "60900 requests on time"), bad.events(), bad.timeline(), bad.gates(), bad.outages());

        String html = HtmlReport.compare(List.of(canary, invalid));

        assertThat(html).contains("<div class=\"banner\" id=\"invalid\">INVALID measurement", "capped: the generator "
            + "could not make 900 of 60900 requests on time", "<td>capped (INVALID)</td>");
        assertBalanced(html);
        JsonNode runs = data(html).get("runs");
        assertThat(runs.get(0).get("invalid").asBoolean()).isFalse();
        assertThat(runs.get(1).get("invalid").asBoolean()).isTrue();
        assertThat(runs.get(1).get("name").asText()).endsWith("(INVALID measurement)");
        assertThat(runs.get(1).get("color").asText()).isEqualTo(ChartData.INVALID_RUN);
        assertThat(runs.get(1).get("p95")).allSatisfy(v -> assertThat(v.isNull()).isTrue());
        assertThat(runs.get(0).get("p95")).anySatisfy(v -> assertThat(v.isNull()).isFalse());
    }

    /** The inlined chart data, parsed as the page parses it. */
    static JsonNode data(String html) throws Exception {
        String open = "<script type=\"application/json\" id=\"report-data\">";
        int from = html.indexOf(open) + open.length();
        return new ObjectMapper().readTree(html.substring(from, html.indexOf("</script>", from)));
    }

    private static List<String> labels(JsonNode data) {
        return StreamSupport.stream(data.get("markers").spliterator(), false).map(m -> m.get("label").asText())
            .toList();
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }

    /** Every non-void element outside script and style text is closed in order. */
    private static void assertBalanced(String html) {
        String markup = html.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>")
            .replaceAll("(?s)(<style>).*?</style>", "$1</style>");
        Deque<String> open = new ArrayDeque<>();
        Matcher m = TAG.matcher(markup);
        while (m.find()) {
            String name = m.group(2).toLowerCase();
            if (VOID.contains(name)) {
                continue;
            }
            if (m.group(1).isEmpty()) {
                open.push(name);
            } else {
                assertThat(open).as("closing </%s> at %d", name, m.start()).isNotEmpty();
                assertThat(open.pop()).as("closing </%s> at %d", name, m.start()).isEqualTo(name);
            }
        }
        assertThat(open).isEmpty();
    }

    @Test
    void faultWindowsRunFromStartToTheMatchingEnd() {
        List<Event> events = List.of(
            new Event(3.0, "fault-start", java.util.Map.of("type", "latency", "target", "stable",
                "duration", 5.0)),
            new Event(4.0, "fault-start", java.util.Map.of("type", "kill", "target", "all")),
            new Event(4.0, "fault-end", java.util.Map.of("type", "kill", "target", "all")),
            new Event(8.0, "fault-end", java.util.Map.of("type", "latency", "target", "stable")));
        assertThat(ChartData.faultWindows(events)).containsExactly(List.of(3.0, 8.0));
    }
}
