package dev.rolloutlab.repeat;

import dev.rolloutlab.reports.JUnitXml;
import dev.rolloutlab.result.GateResult;
import java.util.Locale;

/**
 * {@code junit.xml} of a repeat: one test case per gate, checked on its median, and one saying whether every run was
 * measured, so a CI test reporter shows a repeat's verdict as it shows a single run's.
 */
public final class RepeatJUnit {
    private RepeatJUnit() {
    }

    public static String render(RepeatSummary s) {
        String classname = "rollout-lab." + s.scenario();
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        String invalid = s.gates().stream().map(GateResult::reason).filter(r -> r != null).findFirst().orElse(null);
        boolean unmeasured = "invalid".equals(s.outcome());
        failures += unmeasured ? 1 : 0;
        JUnitXml.testcase(cases, classname, "every run measured", unmeasured ? "outcome " + s.outcome()
            + (invalid == null ? "" : ": " + invalid) : null, "InvalidMeasurement");
        for (GateResult g : s.gates()) {
            failures += g.passed() ? 0 : 1;
            String failure = g.passed() ? null : g.metric() + " median " + RepeatMarkdown.value(g.actual())
                + (g.reason() != null ? " not measured: " + g.reason() : " outside " + RepeatMarkdown.bound(g))
                + " over " + s.runs().size() + " runs";
            JUnitXml.testcase(cases, classname, g.metric() + " median " + RepeatMarkdown.bound(g), failure, "GateFailed");
        }
        String counts = String.format(Locale.ROOT, "tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\"",
            1 + s.gates().size(), failures);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rollout-lab\" " + counts + ">\n"
            + "  <testsuite name=\"" + JUnitXml.escape(s.scenario() + " (" + s.runs().size() + " runs)") + "\" " + counts
            + ">\n" + cases + "  </testsuite>\n</testsuites>\n";
    }
}
