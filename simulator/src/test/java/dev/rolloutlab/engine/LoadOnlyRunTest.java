package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth injected on the local platform, measured back through the whole pipeline. */
class LoadOnlyRunTest {
    @TempDir
    Path dir;

    private RunResult run(String yaml) throws Exception {
        return ScenarioRuns.run(dir, yaml);
    }

    @Test
    void anOutageOfOneAndAHalfSecondsMeasuresAsOneAndAHalfSeconds() throws Exception {
        RunResult r = run("""
            name: outage-ground-truth
            service: { replicas: 3 }
            load: { rate: 1000/s, duration: 8s, connections: 64, timeout: 2s }
            faults:
              - { at: 3s, type: outage, duration: 1.5s }
            gates:
              downtimeSeconds: { max: 0 }
            """);
        // Resolution is the inter-arrival time (1 ms) plus timer jitter on both edges of the fault.
        assertThat(r.metrics().downtimeSeconds()).isCloseTo(1.5, within(0.05));
        assertThat(r.metrics().longestOutageSeconds()).isCloseTo(1.5, within(0.05));
        assertThat(r.metrics().requests()).isCloseTo(8000L, within(80L));
        assertThat(r.generator().saturated()).isFalse();
        assertThat(r.metrics().failuresByCause().refused() + r.metrics().failuresByCause().reset())
            .isEqualTo(r.metrics().failedRequests());
        assertThat(r.outcome()).isEqualTo("completed");
        assertThat(r.platform()).isEqualTo("local");
        assertThat(r.timeline()).hasSize(8);
        assertThat(r.events()).extracting(Event::type).contains("load-start", "fault-start", "fault-end", "load-end");
        Event fault = r.events().stream().filter(e -> e.type().equals("fault-start")).findFirst().orElseThrow();
        assertThat(fault.t()).isCloseTo(3.0, within(0.05));
        assertThat(r.gates()).singleElement().satisfies(g -> assertThat(g.passed()).isFalse());
        assertThat(r.outages()).singleElement().satisfies(o -> {
            assertThat(o.start()).isCloseTo(3.0, within(0.05));
            assertThat(o.seconds()).isCloseTo(r.metrics().downtimeSeconds(), within(1e-9));
        });
    }
}
