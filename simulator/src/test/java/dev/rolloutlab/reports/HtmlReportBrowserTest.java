package dev.rolloutlab.reports;

import dev.rolloutlab.result.LatencyMs;
import dev.rolloutlab.result.GeneratorStats;
import dev.rolloutlab.result.FailuresByCause;
import dev.rolloutlab.result.BlastRadius;
import dev.rolloutlab.result.Outage;
import dev.rolloutlab.result.TimelinePoint;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RunResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rolloutlab.engine.ScenarioRuns;
import dev.rolloutlab.reports.html.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser. Debian's headless Chromium opens the page from disk; the page records on its
 * own {@code <body>} and chart containers whether every chart drew with data, how long that took and whether any
 * script failed or anything was blocked by its Content-Security-Policy, and the test reads that from
 * {@code --dump-dom}. Pages and a screenshot stay in {@code target/browser/} for people to look at. Skipped where
 * {@code /usr/bin/chromium} is absent (CI installs it).
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target/browser").toAbsolutePath();
    private static final List<String> RUN_CHARTS = List.of("chart-requests", "chart-errors", "chart-latency",
        "chart-replicas");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " here; CI installs it");
        Files.createDirectories(OUT);
    }

    @Test
    void aRealRunWithAnOutageAndARollbackDrawsEveryChartWithoutErrors() throws Exception {
        RunResult result = ScenarioRuns.run(dir, """
            name: browser-canary-bad-release
            service:
              replicas: 4
              candidate: { version: v2, behavior: { errorRate: 1.0 } }
              readiness: { period: 200ms }
            load: { rate: 500/s, duration: 8s, warmup: 1s }
            strategy:
              type: canary
              startAt: 3.5s
              steps: [ {setWeight: 20}, {pause: 30s} ]
              abortScaleDownDelay: 1s
            analysis:
              interval: 1s
              rules: [ {metric: errorRate, scope: candidate, max: 0.05, for: 1s} ]
            faults: [ {at: 2s, type: outage, duration: 1s} ]
            """);
        assertThat(result.outages()).as("the report must have an outage to show").isNotEmpty();
        assertThat(result.outcome()).isEqualTo("rolled-back");
        Path page = write("report.html", HtmlReport.run(result));

        String dom = chromium(page, "--dump-dom");

        Map<String, String> body = tag(dom, "<body");
        assertThat(body).containsEntry("data-errors", "0").containsEntry("data-charts", "4")
            .containsEntry("data-points", String.valueOf(result.timeline().size()));
        for (String chart : RUN_CHARTS) {
            assertThat(tag(dom, "id=\"" + chart + "\"")).as(chart).containsEntry("data-drawn", "yes")
                .hasEntrySatisfying("data-series", n -> assertThat(Integer.parseInt(n)).isPositive())
                .hasEntrySatisfying("data-points", n -> assertThat(Integer.parseInt(n)).isGreaterThan(1));
        }
        assertThat(dom).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + HtmlReport.CSP + "\">");
        assertThat(HtmlReport.CSP).startsWith("default-src 'none';").doesNotContain("http", "connect-src", "*");

        Path png = OUT.resolve("report.png");
        Files.deleteIfExists(png);
        chromium(page, "--screenshot=" + png, "--window-size=1366,2200");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    @Test
    void anHourOfTimelineRendersWithinASecond() throws Exception {
        Path page = write("report-1h.html", HtmlReport.run(synthetic(3600)));

        Map<String, String> body = tag(chromium(page, "--dump-dom"), "<body");

        assertThat(body).containsEntry("data-errors", "0").containsEntry("data-charts", "4")
            .containsEntry("data-points", "3600");
        assertThat(Double.parseDouble(body.get("data-render-ms"))).isLessThan(1000);
    }

    @Test
    void theComparisonOverlaysEveryRun() throws Exception {
        Path page = write("compare.html", HtmlReport.compare(List.of(synthetic(60), synthetic(40))));

        String dom = chromium(page, "--dump-dom");

        assertThat(tag(dom, "<body")).containsEntry("data-errors", "0").containsEntry("data-charts", "2");
        for (String chart : List.of("chart-errors", "chart-latency")) {
            assertThat(tag(dom, "id=\"" + chart + "\"")).as(chart).containsEntry("data-drawn", "yes")
                .containsEntry("data-series", "2");
        }
    }

    @Test
    void aLatencyRegressionLabelsEveryCrowdedEventAboveThePlotAndDrawsTheCandidateAndTheRuleItBreached()
        throws Exception {
        Path page = write("latency-regression.html", HtmlReport.run(latencyRegression()));

        String dom = chromium(page, "--dump-dom");

        assertThat(tag(dom, "<body")).containsEntry("data-errors", "0").containsEntry("data-charts", "4");
        for (String chart : RUN_CHARTS) {
            Map<String, String> drawn = tag(dom, "id=\"" + chart + "\"");
            assertThat(drawn).as(chart).containsEntry("data-labels-above-plot", "true");
            // Four events within 80 ms at rollout start, and the rollback's three at 11 s: each has its label.
            // The dumped DOM escapes < > & in attribute values.
            String labels = drawn.get("data-labels").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
            assertThat(labels.split("\\|")).as(chart).contains("rollout start v1→v2",
                "weight 0%", "scale v2 → 1", "weight 10%", "rollback decided", "traffic restored",
                "analysis failed: latencyP95 of candidate > 200ms for 5s");
        }
        // all p50, v1 p95 and p99, v2 p95 and p99, and the rule's 200 ms line.
        assertThat(tag(dom, "id=\"chart-latency\"")).containsEntry("data-series", "6");
        // v1 and v2 stacked, and the throughput rule's line at 0.9 × the baseline.
        assertThat(tag(dom, "id=\"chart-requests\"")).containsEntry("data-series", "3");
        // all, v1 and v2 (their own error rates, 0 here), and the error rule's 5 % line.
        assertThat(tag(dom, "id=\"chart-errors\"")).containsEntry("data-series", "4");

        // Hovering along the plot names every event, labelled in the lane or not: a probe moves the mouse over the
        // first chart pixel by pixel and collects the tooltips it saw.
        String probe = """
            <script>
            (function () {
                var over = document.querySelector('#chart-requests .u-over'), r = over.getBoundingClientRect();
                var seen = [];
                for (var x = 1; x < r.width; x++) {
                    over.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + 20,
                        bubbles: true }));
                    var tip = over.querySelector('.event-tip');
                    if (tip && tip.style.display === 'block') {
                        seen.push(tip.textContent.replace(/\\n/g, '|'));
                    }
                }
                document.body.setAttribute('data-tips', seen.join('|'));
            })();
            </script>
            </body>""";
        Path probed = write("latency-regression-hover.html", HtmlReport.run(latencyRegression())
            .replace("</body>", probe));
        String tips = tag(chromium(probed, "--dump-dom"), "<body").get("data-tips").replace("&gt;", ">");
        assertThat(tips).contains("5.00 s  rollout start v1→v2", "5.00 s  weight 0%", "5.02 s  scale v2 → 1",
            "5.07 s  weight 10%", "11.04 s  analysis failed: latencyP95 of candidate > 200ms for 5s",
            "11.05 s  rollback decided", "11.05 s  weight 0%", "11.06 s  traffic restored");

        Path png = OUT.resolve("latency-regression.png");
        Files.deleteIfExists(png);
        chromium(page, "--screenshot=" + png, "--window-size=1400,2400");
        assertThat(png).exists();
    }

    /**
     * A canary at 1000/s whose candidate answers in 300 ms: rollout at 5 s (weight 0, scale, weight 10 % within
     * 80 ms), the p95 rule failing from 6.1 s and breaching at 11.04 s, traffic back on stable 10 ms later, and the
     * candidate's removal (abortScaleDownDelay) still pending when the load ends at 25 s.
     */
    private static RunResult latencyRegression() {
        String rule = "latencyP95 of candidate > 200ms for 5s";
        String errors = "errorRate of candidate > 0.05 for 2s";
        List<Event> events = new ArrayList<>(List.of(
            new Event(-1, "replica-ready", Map.of("pod", "v1-1", "version", "v1")),
            new Event(-1, "replica-ready", Map.of("pod", "v1-2", "version", "v1")),
            new Event(0, "load-start", Map.of("rate", 1000.0)),
            new Event(5, "rollout-start", Map.of("strategy", "canary", "from", "v1", "to", "v2")),
            new Event(5, "set-weight", Map.of("weight", 0)),
            new Event(5.02, "scale", Map.of("set", "v2", "replicas", 1)),
            new Event(5.05, "replica-ready", Map.of("pod", "v2-1", "version", "v2")),
            new Event(5.07, "set-weight", Map.of("weight", 10)),
            new Event(5.08, "pause", Map.of("duration", 20.0)),
            new Event(6.1, "analysis", Map.of("rule", errors, "state", "ok", "value", 0.0)),
            new Event(6.1, "analysis", Map.of("rule", rule, "state", "failing", "value", 314.0)),
            new Event(6.1, "analysis", Map.of("rule", "throughputRatio of all < 0.9 for 10s", "state", "ok",
                "value", 1.0)),
            new Event(11.04, "analysis-failed", Map.of("rule", rule, "value", 389.0)),
            new Event(11.05, "rollback", Map.of("reason", "latencyP95 of candidate 389ms > 200ms for 5s")),
            new Event(11.05, "set-weight", Map.of("weight", 0)),
            new Event(25, "load-end", Map.of())));
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int t = 0; t < 25; t++) {
            boolean canary = t >= 5 && t < 11;
            Map<String, Long> byVersion = canary ? Map.of("v1", 900L, "v2", 100L) : Map.of("v1", 1000L);
            Map<String, TimelinePoint.VersionLatency> latency = canary
                ? Map.of("v1", new TimelinePoint.VersionLatency(0.9, 2.0 + t % 3, 4.0 + t % 4),
                    "v2", new TimelinePoint.VersionLatency(301, 310 + t, 330 + t))
                : Map.of("v1", new TimelinePoint.VersionLatency(0.9, 2.0 + t % 3, 4.0 + t % 4));
            timeline.add(new TimelinePoint(t, 1000, 0, byVersion, 0.9, canary ? 305.0 : 2.0, canary ? 330.0 : 4.0,
                canary ? 340.0 : 9.0, 0, latency));
        }
        Metrics metrics = new Metrics(25_000, 0, 0, 0, 0, 0, 0.01, null, null, null,
            new BlastRadius(0.1, 0.1, 0.0, 0.0, null, null), 11, 10, 0.1,
            new LatencyMs(0.9, 1.8, 2.2, 300.0, 330.0, 350.0), Map.of("v1", 24_400L, "v2", 600L),
            new FailuresByCause(0, 0, 0, 0, 0, 0), true);
        return new RunResult(RunResult.SCHEMA_VERSION, "latency-regression", "canary", "local",
            Instant.parse("2026-11-22T10:00:00Z"), "rolled-back", metrics, new GeneratorStats(1000, 1000, 1, false, 0),
            events, timeline, List.of(), List.of());
    }

    private static Path write(String name, String html) throws Exception {
        return Files.writeString(OUT.resolve(name), html);
    }

    /** One Chromium with a fresh profile, time-boxed: killed with everything it started after 60 s at most. */
    private String chromium(Path page, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
            "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path stdout = Files.createTempFile(dir, "chromium", ".out");
        Process chromium = new ProcessBuilder(command).redirectOutput(stdout.toFile())
            .redirectError(dir.resolve("chromium.err").toFile()).start();
        try {
            assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium done within 60 s").isTrue();
            assertThat(chromium.exitValue()).as("chromium exit code; see its stderr").isZero();
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
        return Files.readString(stdout);
    }

    /** The attributes of the first tag containing {@code marker}, as the browser serialised them. */
    private static Map<String, String> tag(String dom, String marker) {
        int at = dom.indexOf(marker);
        assertThat(at).as("%s in the dumped DOM", marker).isNotNegative();
        String tag = dom.substring(dom.lastIndexOf('<', at), dom.indexOf('>', at));
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            attributes.put(m.group(1), m.group(2));
        }
        return attributes;
    }

    /**
     * A canary run of {@code seconds} at 1000/s with an outage at 20 s, a rollback at 30 s and an event every 3 s
     * after it, as long runs have.
     */
    private static RunResult synthetic(int seconds) {
        List<Event> events = new ArrayList<>(List.of(
            new Event(-1, "replica-ready", Map.of("pod", "v1-1", "version", "v1")),
            new Event(-1, "replica-ready", Map.of("pod", "v1-2", "version", "v1")),
            new Event(10, "rollout-start", Map.of("strategy", "canary", "from", "v1", "to", "v2")),
            new Event(10.2, "replica-ready", Map.of("pod", "v2-1", "version", "v2")),
            new Event(11, "set-weight", Map.of("weight", 20)),
            new Event(20.25, "fault-start", Map.of("type", "outage")),
            new Event(21.75, "fault-end", Map.of("type", "outage")),
            new Event(30, "rollback", Map.of("reason", "analysis failed")),
            new Event(32, "replica-terminated", Map.of("pod", "v2-1", "version", "v2")),
            new Event(32, "rollback-complete", Map.of())));
        for (int t = 33; t < seconds - 1; t += 3) {
            events.add(new Event(t, t % 2 == 0 ? "set-weight" : "replica-not-ready",
                Map.of("weight", 0, "pod", "v1-1", "version", "v1")));
            events.add(new Event(t + 1, "replica-ready", Map.of("pod", "v1-1", "version", "v1")));
        }
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int t = 0; t < seconds; t++) {
            boolean out = t == 20 || t == 21;
            long candidate = t >= 11 && t < 30 && !out ? 200 : 0;
            Map<String, Long> byVersion = out ? Map.of("v1", 250L, "unknown", 750L)
                : Map.of("v1", 1000 - candidate, "v2", candidate);
            timeline.add(new TimelinePoint(t, 1000, out ? 750 : candidate, byVersion, 0.8 + t % 5 / 10.0, 2.0, 4.0,
                9.0));
        }
        Metrics metrics = new Metrics(1000L * seconds, 5300, 0.01, 1.5, 1.5, 21, 0.4, 2.0, 18.0, 22.0,
            new BlastRadius(0.15, 0.2, 0.2, 0.35, null, null), 3, 2, 0.5, new LatencyMs(0.9, 1.8, 2.2, 4.8, 8.0, 30.0),
            Map.of("v1", 1000L * seconds - 5300, "v2", 3800L, "unknown", 1500L),
            new FailuresByCause(1500, 0, 0, 3800, 0, 0), true);
        return new RunResult(RunResult.SCHEMA_VERSION, "synthetic-" + seconds + "s", "canary", "local",
            Instant.parse("2026-11-22T10:00:00Z"), "rolled-back", metrics, new GeneratorStats(1000, 1000, 1, false, 0),
            events, timeline, List.of(), List.of(new Outage(20.25, 21.75)));
    }
}
