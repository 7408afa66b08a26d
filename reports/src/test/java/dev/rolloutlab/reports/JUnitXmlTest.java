package dev.rolloutlab.reports;

import dev.rolloutlab.result.TestRuns;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateResult;
import dev.rolloutlab.result.RunOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Checks the shape CI test reporters read: testsuites / testsuite / testcase / failure, counts that add up. */
class JUnitXmlTest {
    @Test
    void oneTestcasePerGateAndAFailureForEachFailedGate() throws Exception {
        Element suites = parse(JUnitXml.render(new TestRuns().build()));

        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = single(suites, "testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("canary-bad-release");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-22T10:00:00");
        assertThat(suite.getAttribute("time")).isEqualTo("60.000");
        assertCountsAddUp(suites, suite);
        List<Element> cases = children(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name"))
            .containsExactly("downtimeSeconds max 0", "rollbackSeconds max 1");
        assertThat(cases).allSatisfy(c -> {
            assertThat(c.getAttribute("classname")).isEqualTo("rollout-lab.canary-bad-release");
            assertThat(c.getAttribute("time")).isEqualTo("0");
        });
        Element failure = single(cases.get(0), "failure");
        assertThat(failure.getAttribute("message")).isEqualTo("downtimeSeconds 1.52 > max 0");
        assertThat(failure.getAttribute("type")).isEqualTo("GateFailed");
        assertThat(children(cases.get(1), "failure")).isEmpty();
    }

    @Test
    void minGateFailureNamesTheMinimum() throws Exception {
        TestRuns t = new TestRuns();
        t.gates = List.of(new GateResult("achievedRate", null, 1000.0, 999.8, false));

        Element testcase = single(single(parse(JUnitXml.render(t.build())), "testsuite"), "testcase");

        assertThat(testcase.getAttribute("name")).isEqualTo("achievedRate min 1000");
        assertThat(single(testcase, "failure").getAttribute("message")).isEqualTo("achievedRate 999.8 < min 1000");
    }

    @Test
    void runWithoutGatesIsOneTestcaseForItsOutcome() throws Exception {
        Element completed = parse(JUnitXml.render(TestRuns.loadOnly().build()));
        Element testcase = single(single(completed, "testsuite"), "testcase");
        assertThat(testcase.getAttribute("name")).isEqualTo("run completed");
        assertThat(children(testcase, "failure")).isEmpty();
        assertCountsAddUp(completed, single(completed, "testsuite"));

        TestRuns aborted = TestRuns.loadOnly();
        aborted.outcome = "aborted";
        Element suites = parse(JUnitXml.render(aborted.build()));
        Element suite = single(suites, "testsuite");
        assertThat(single(single(suite, "testcase"), "failure").getAttribute("message")).isEqualTo("outcome aborted");
        assertCountsAddUp(suites, suite);
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void escapesEverythingSoTheFileStaysReadable() throws Exception {
        TestRuns t = new TestRuns();
        String name = "a&b <c> \"d\" 'e'\n\tf\u0001g";
        t.scenario = name;
        t.gates = List.of(new GateResult("errorRate", 0.0, null, 0.5, false));

        String xml = JUnitXml.render(t.build());
        Element suite = single(parse(xml), "testsuite");

        assertThat(suite.getAttribute("name")).isEqualTo("a&b <c> \"d\" 'e'\n\tf\uFFFDg");
        assertThat(single(suite, "testcase").getAttribute("classname")).isEqualTo("rollout-lab." + suite.getAttribute("name"));
        assertThat(xml).doesNotContain("\u0001");
    }

    @Test
    void aGateWithoutAValueFailsSayingWhyAndAnOutcomeGateNamesTheOutcome() throws Exception {
        TestRuns t = new TestRuns();
        t.outcome = "promoted";
        t.gates = List.of(new GateResult("detectionSeconds", 5.0, null, null, false,
                "no value because no rollback happened"),
            new Gate(null, null, List.of(RunOutcome.ROLLED_BACK), null, null, false).check("outcome", t.build()));

        Element suites = parse(JUnitXml.render(t.build()));
        List<Element> cases = children(single(suites, "testsuite"), "testcase");

        assertThat(cases).extracting(c -> c.getAttribute("name"))
            .containsExactly("detectionSeconds max 5", "outcome in rolled-back");
        Element noValue = single(cases.get(0), "failure");
        assertThat(noValue.getAttribute("message"))
            .isEqualTo("detectionSeconds n/a: no value because no rollback happened");
        assertThat(noValue.getAttribute("type")).isEqualTo("NoValue");
        assertThat(single(cases.get(1), "failure").getAttribute("message"))
            .isEqualTo("outcome promoted not in rolled-back");
    }

    @Test
    void anInvalidMeasurementSaysPlainlyThatEveryGateFails() throws Exception {
        TestRuns t = new TestRuns();
        t.outcome = "invalid";
        t.generator = t.generator.invalid("the generator could not make 900 of 60900 requests on time");
        t.gates = List.of(new GateResult("downtimeSeconds", 1.0, null, 0.0, true).unmeasured(
            "invalid measurement: the generator could not make 900 of 60900 requests on time"));

        Element suites = parse(JUnitXml.render(t.build()));
        Element suite = single(suites, "testsuite");
        List<Element> cases = children(suite, "testcase");

        assertThat(cases.get(0).getAttribute("name")).isEqualTo("measurement valid");
        assertThat(single(cases.get(0), "failure").getAttribute("message"))
            .contains("could not make this run's measurement, so every gate fails")
            .contains("900 of 60900");
        assertThat(single(cases.get(1), "failure").getAttribute("type")).isEqualTo("InvalidMeasurement");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertCountsAddUp(suites, suite);
    }

    @Test
    void aComparisonIsOneFileWithASuitePerRun() throws Exception {
        TestRuns passed = TestRuns.loadOnly();
        TestRuns failed = new TestRuns();

        Element suites = parse(JUnitXml.render(List.of(passed.build(), failed.build())));

        List<Element> each = children(suites, "testsuite");
        assertThat(each).extracting(s -> s.getAttribute("name")).containsExactly("baseline", "canary-bad-release");
        assertThat(each).extracting(s -> s.getAttribute("failures")).containsExactly("0", "1");
        assertThat(suites.getAttribute("tests")).isEqualTo("3");
        assertThat(suites.getAttribute("failures")).isEqualTo("1");
        assertThat(suites.getAttribute("time")).isEqualTo("120.000");
    }

    private static void assertCountsAddUp(Element suites, Element suite) {
        List<Element> cases = children(suite, "testcase");
        long failed = cases.stream().filter(c -> !children(c, "failure").isEmpty()).count();
        for (Element e : List.of(suites, suite)) {
            assertThat(Map.of("tests", e.getAttribute("tests"), "failures", e.getAttribute("failures"),
                "errors", e.getAttribute("errors"), "skipped", e.getAttribute("skipped")))
                .isEqualTo(Map.of("tests", String.valueOf(cases.size()), "failures", String.valueOf(failed),
                    "errors", "0", "skipped", "0"));
        }
    }

    private static Element parse(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getDocumentElement();
    }

    private static Element single(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        assertThat(found).as("<%s> in <%s>", tag, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        return found;
    }
}
