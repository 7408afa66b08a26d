package dev.rolloutlab.reports;

import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.RunResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        String classname = "rollout-lab." + r.scenario();
        String invalid = invalidReason(r);
        if (invalid != null) {
            failures++;
            testcase(cases, classname, "measurement valid", "invalid measurement: " + invalid, "InvalidMeasurement");
        }
        if (r.gates().isEmpty()) {
            boolean failed = "failed".equals(r.outcome()) || "aborted".equals(r.outcome());
            failures += failed ? 1 : 0;
            testcase(cases, classname, "run completed", failed ? "outcome " + r.outcome() : null, "RunFailed");
        }
        for (GateResult g : r.gates()) {
            failures += g.passed() ? 0 : 1;
            testcase(cases, classname, g.metric() + " " + Numbers.bound(g), g.passed() ? null : violation(g),
                "GateFailed");
        }
        int tests = Math.max(1, r.gates().size()) + (invalid == null ? 0 : 1);
        String counts = String.format(Locale.ROOT, "tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\"",
            tests, failures, seconds(r));
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuites name=\"rollout-lab\" ").append(counts).append(">\n");
        b.append("  <testsuite name=\"").append(escape(r.scenario())).append("\" ").append(counts);
        if (r.startedAt() != null) {
            b.append(" timestamp=\"").append(TIMESTAMP.format(r.startedAt())).append('"');
        }
        b.append(">\n").append(cases).append("  </testsuite>\n</testsuites>\n");
        return b.toString();
    }

    private static void testcase(StringBuilder b, String classname, String name, String failure, String type) {
        b.append("    <testcase classname=\"").append(escape(classname)).append("\" name=\"").append(escape(name))
            .append("\" time=\"0\"");
        if (failure == null) {
            b.append("/>\n");
            return;
        }
        b.append(">\n      <failure message=\"").append(escape(failure)).append("\" type=\"").append(type).append("\">")
            .append(escape(failure)).append("</failure>\n    </testcase>\n");
    }

    /** Why an invalid run is invalid, or null: a run with outcome {@code invalid} names its reason. */
    static String invalidReason(RunResult r) {
        if (!"invalid".equals(r.outcome())) {
            return null;
        }
        return r.generator() == null || r.generator().invalidReason() == null ? "the generator could not measure"
            : r.generator().invalidReason();
    }

    /** {@code downtimeSeconds 1.52 > max 0}: the bound the actual value broke. */
    private static String violation(GateResult g) {
        Double actual = g.actual();
        String head = g.metric() + " " + (actual == null ? "n/a" : Numbers.plain(actual));
        if (g.reason() != null) {
            return head + " not measured: " + g.reason();
        }
        if (actual != null && g.max() != null && actual > g.max()) {
            return head + " > max " + Numbers.plain(g.max());
        }
        if (actual != null && g.min() != null && actual < g.min()) {
            return head + " < min " + Numbers.plain(g.min());
        }
        return head + ", " + Numbers.bound(g); // a result.json written by another tool may disagree with its bounds
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
    private static String escape(String s) {
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
