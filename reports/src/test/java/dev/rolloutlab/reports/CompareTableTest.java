package dev.rolloutlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TestRuns;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareTableTest {
    @Test
    void anInvalidRunIsMarkedAndItsLatenciesAreNotShownAsTheServices() {
        TestRuns invalid = new TestRuns();
        invalid.scenario = "rolling";
        invalid.outcome = "invalid";
        invalid.generator = invalid.generator.invalid("the generator could not make 900 of 60900 requests on time");
        CompareTable table = new CompareTable(List.of(new TestRuns().build(), invalid.build()));

        List<List<String>> metrics = table.metricTable();
        List<String> header = metrics.get(0);
        List<String> valid = metrics.get(1);
        List<String> marked = metrics.get(2);
        int p95 = header.indexOf("p95 ms");
        assertThat(valid.get(0)).isEqualTo("canary-bad-release");
        assertThat(valid.get(p95)).isEqualTo("2.60");
        assertThat(marked.get(0)).isEqualTo("rolling (INVALID)");
        assertThat(marked.get(p95)).isEqualTo("invalid");
        assertThat(marked.get(header.indexOf("p99 ms"))).isEqualTo("invalid");

        assertThat(table.markdown()).contains("| rolling (INVALID) |")
            .contains("> ⛔ INVALID measurement (the load generator could not make it; its numbers are not the "
                + "service's, its latencies are left out and every gate failed):\n> rolling: the generator could "
                + "not make 900 of 60900 requests on time");
        assertThat(table.text()).contains("rolling (INVALID)").contains("INVALID measurement")
            .contains("rolling: the generator could not make 900");
    }

    @Test
    void validRunsHaveNoNote() {
        RunResult r = new TestRuns().build();
        assertThat(new CompareTable(List.of(r)).invalidNote()).isEmpty();
        assertThat(new CompareTable(List.of(r)).markdown()).doesNotContain("INVALID");
    }
}
