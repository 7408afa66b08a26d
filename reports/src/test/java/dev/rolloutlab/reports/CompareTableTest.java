package dev.rolloutlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.Outage;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TestRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareTableTest {
    /** A recreate run of the seed table: one outage on release (5 s), one on the scripted rollback (20 s). */
    private static RunResult recreate(boolean claims) {
        TestRuns t = new TestRuns();
        t.scenario = "seed-recreate";
        t.strategy = "recreate";
        Metrics m = t.metrics;
        t.metrics = new Metrics(m.requests(), m.failedRequests(), m.errorRate(), 2.25, 1.25, m.degradedSeconds(),
            0.7, 1.3, null, m.deploymentSeconds(), m.blastRadius(), 10, 10, 0.0, m.latencyMs(), m.requestsByVersion(),
            m.failuresByCause(), true);
        t.events = List.of(new Event(5, "rollout-start", Map.of()), new Event(20, "rollback", Map.of()));
        RunResult r = t.build();
        return new RunResult(r.schemaVersion(), r.scenario(), r.strategy(), r.platform(), r.startedAt(), r.outcome(),
            r.metrics(), r.generator(), r.events(), r.timeline(), r.gates(),
            List.of(new Outage(5.5, 6.5), new Outage(20.25, 21.5)), null, claims ? SeedClaims.of("recreate") : null);
    }

    @Test
    void aDowntimeMadeOfSeveralOutagesNamesEachPhase() {
        String text = new CompareTable(List.of(recreate(true))).text();

        assertThat(text).contains("2.250 s = release 1.000 s + rollback 1.250 s", "5-10 min", "10-15 min")
            .contains("Times are NOT on the same scale");
    }

    @Test
    void onlyRunsThatDeclareClaimsGetAClaimsRowAndWithoutAnyThereIsNoClaimsTable() {
        CompareTable mixed = new CompareTable(List.of(recreate(true), recreate(false)));
        assertThat(mixed.seedTable()).hasSize(2);
        assertThat(mixed.metricTable()).hasSize(3);

        CompareTable none = new CompareTable(List.of(recreate(false)));
        assertThat(none.hasClaims()).isFalse();
        assertThat(none.markdown()).doesNotContain("claim", "Claims", "## Measured");
        assertThat(none.text()).doesNotContain("claim");
    }

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
