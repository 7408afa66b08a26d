package dev.rolloutlab.reports;

import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.RunResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code junit.xml}: the run's gates as JUnit test cases, so Jenkins, GitLab and GitHub test reporters show a failed
 * gate like a failed test without knowing rollout-lab. One test suite per scenario, one test case per gate; a run
 * without gates gets one test case for its outcome.
 */
public final class JUnitXml {
    /** The JUnit schema's timestamp has no zone; this one is UTC. */
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private JUnitXml() {
    }

    public static String render(RunResult r) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + suites(List.of(r));
    }

    /**
     * One file for several runs (a comparison): a test suite per run, named by its scenario, so a CI reporter shows
     * which run's gate failed.
     */
    public static String render(List<RunResult> runs) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + suites(runs);
    }

    private static String suites(List<RunResult> runs) {
        StringBuilder suites = new StringBuilder();
        int tests = 0;
        int failures = 0;
        double time = 0;
        for (RunResult r : runs) {
            Suite s = suite(r);
            suites.append(s.xml());
            tests += s.tests();
            failures += s.failures();
            time += seconds(r);
        }
        return "<testsuites name=\"rollout-lab\" " + counts(tests, failures, time) + ">\n" + suites
            + "</testsuites>\n";
    }

    private record Suite(String xml, int tests, int failures) {
    }

    /**
     * An invalid measurement is a failing test case of its own, {@code measurement valid}, before the gates (which
     * all fail with it): a reporter that lists only the first failure still says why.
     */
    private static Suite suite(RunResult r) {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        String classname = "rollout-lab." + r.scenario();
        String invalid = GateText.invalidReason(r);
        if (invalid != null) {
            failures++;
            testcase(cases, classname, "measurement valid", "invalid measurement: the generator could not make "
                + "this run's measurement, so every gate fails: " + invalid, "InvalidMeasurement");
        }
        if (r.gates().isEmpty()) {
            boolean failed = "failed".equals(r.outcome()) || "aborted".equals(r.outcome());
            failures += failed ? 1 : 0;
            testcase(cases, classname, "run completed", failed ? "outcome " + r.outcome() : null, "RunFailed");
        }
        for (GateResult g : r.gates()) {
            failures += g.passed() ? 0 : 1;
            testcase(cases, classname, g.metric() + " " + GateText.bound(g), g.passed() ? null : GateText.why(g),
                type(g));
        }
        int tests = Math.max(1, r.gates().size()) + (invalid == null ? 0 : 1);
        StringBuilder b = new StringBuilder("  <testsuite name=\"").append(escape(r.scenario())).append("\" ")
            .append(counts(tests, failures, seconds(r)));
        if (r.startedAt() != null) {
            b.append(" timestamp=\"").append(TIMESTAMP.format(r.startedAt())).append('"');
        }
        b.append(">\n").append(cases).append("  </testsuite>\n");
        return new Suite(b.toString(), tests, failures);
    }

    /** The failure's type, which reporters show beside the message: what kind of failure, at a glance. */
    private static String type(GateResult g) {
        if (g.abortedAt() != null) {
            return "GateAbortedRun";
        }
        if (g.reason() != null && g.reason().startsWith("invalid measurement")) {
            return "InvalidMeasurement";
        }
        return g.noValue() ? "NoValue" : "GateFailed";
    }

    private static String counts(int tests, int failures, double time) {
        return String.format(Locale.ROOT, "tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\"",
            tests, failures, time);
    }

    /** One test case, passed ({@code failure} null) or failed with that message and type. */
    public static void testcase(StringBuilder b, String classname, String name, String failure, String type) {
        b.append("    <testcase classname=\"").append(escape(classname)).append("\" name=\"").append(escape(name))
            .append("\" time=\"0\"");
        if (failure == null) {
            b.append("/>\n");
            return;
        }
        b.append(">\n      <failure message=\"").append(escape(failure)).append("\" type=\"").append(type).append("\">")
            .append(escape(failure)).append("</failure>\n    </testcase>\n");
    }

    /** How long the load ran: the run's last event is its end ({@code load-end} or {@code aborted}). */
    private static double seconds(RunResult r) {
        return r.events().stream().mapToDouble(Event::t).max().orElse(0);
    }

    /**
     * Escapes markup and quotes (attribute values included: newlines and tabs as character references, which
     * attribute normalisation would otherwise turn into spaces) and replaces characters XML 1.0 cannot carry, so a
     * scenario name or a reason never makes the file unreadable.
     */
    /** Text for an XML attribute or element: markup escaped, control characters XML 1.0 forbids dropped. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\t', '\n', '\r' -> b.append("&#").append(c).append(';');
                default -> b.appendCodePoint(c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000
                    ? c : 0xFFFD);
            }
        });
        return b.toString();
    }
}
