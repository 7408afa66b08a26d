package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.result.Event;
import dev.rolloutlab.result.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The numbers under stress, whole runs on the embedded local platform at production rates: outages placed and sized
 * to the inter-arrival time at 4000 and 10,000 requests/s, scattered errors that are no downtime at 10,000/s, and a
 * paused replica that gives the same answer run after run. In the {@code stress} profile ({@code mvn verify -Pstress}).
 * Runs at 10,000/s keep the default warm-up: a JIT-cold platform at full rate falls behind, which is not what they
 * measure.
 */
@Tag("stress")
class StressRunsTest {
    @TempDir
    Path dir;

    private static double eventTime(RunResult r, String type) {
        return r.events().stream().filter(e -> e.type().equals(type)).mapToDouble(Event::t).findFirst().orElseThrow();
    }

    /**
     * The outage fault closes the Service's listener at its {@code fault-start} event and reopens it at
     * {@code fault-end}: the measured outage starts at the first request intended after the close and lasts until
     * the first after the reopening. Tolerance: two inter-arrival times, the 1 ms tick the generator sends on, and the
     * few milliseconds by which the platform's events miss what they record (the listener is closed just before
     * {@code fault-start} is logged; the reopened one listens just after {@code fault-end} is: up to 5 ms each here).
     */
    @ParameterizedTest
    @ValueSource(ints = {4000, 10_000})
    void anOutageIsMeasuredAtTheFaultsStartAndForItsLength(int rate) throws Exception {
        RunResult r = ScenarioRuns.run(dir, """
            service: { replicas: 3, stable: { version: v1 } }
            load: { rate: %d/s, duration: 5s }
            faults:
              - { at: 2s, type: outage, duration: 300ms }
            """.formatted(rate));
        assertThat(r.outcome()).as("%s", r.generator()).isEqualTo("completed");
        double start = eventTime(r, "fault-start");
        double end = eventTime(r, "fault-end");
        double tolerance = 2.0 / rate + 0.001 + 2 * 0.005;
        assertThat(r.measuredOutages()).singleElement().satisfies(o -> {
            assertThat(o.start()).isCloseTo(start, within(0.010));
            assertThat(o.end() - o.start()).isCloseTo(end - start, within(tolerance));
        });
        assertThat(r.metrics().downtimeSeconds()).isCloseTo(end - start, within(tolerance));
        // Refused once the listener is closed; reset on a connection the proxy was still closing.
        assertThat(r.metrics().failuresByCause().refused() + r.metrics().failuresByCause().reset())
            .isEqualTo(r.metrics().failedRequests());
    }

    /** 30 % of requests answered 503 at 10,000/s for 4 s: an error rate, never a full outage. */
    @Test
    void scatteredErrorsAtTenThousandPerSecondAreNoDowntime() throws Exception {
        RunResult r = ScenarioRuns.run(dir, """
            service: { replicas: 3, stable: { version: v1 } }
            load: { rate: 10000/s, duration: 5s }
            faults:
              - { at: 0.5s, type: errors, share: 0.3, duration: 4s }
            """);
        assertThat(r.outcome()).as("%s", r.generator()).isEqualTo("completed");
        assertThat(r.metrics().downtimeSeconds()).isZero();
        assertThat(r.metrics().unmeasurableOutages()).isZero();
        assertThat(r.metrics().failuresByCause().http5xx()).isCloseTo(12_000L, within(600L));
        assertThat(r.metrics().failedRequests()).isEqualTo(r.metrics().failuresByCause().http5xx());
    }

    /**
     * One of 3 replicas frozen for 2 s, ten runs: its requests time out (the proxy balances per request, so every
     * third), the other two serve the rest, and no run reads that as an outage. The same answer every time.
     */
    @Test
    void aPausedReplicaOfThreeGivesTheSameDowntimeEveryTime() throws Exception {
        List<Double> downtimes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RunResult r = ScenarioRuns.run(dir, """
                service: { replicas: 3, stable: { version: v1 } }
                load: { rate: 1000/s, duration: 5s, warmup: 1s, timeout: 500ms }
                faults:
                  - { at: 1s, type: pause, count: 1, duration: 2s }
                """);
            assertThat(r.outcome()).as("%s", r.generator()).isEqualTo("completed");
            // Requests to the frozen replica fail until its probe times out and it leaves the endpoints.
            assertThat(r.metrics().failuresByCause().timeout()).isPositive();
            assertThat(r.metrics().failedRequests()).isLessThan(2000 / 3 + 50);
            downtimes.add(r.metrics().downtimeSeconds());
        }
        assertThat(downtimes).containsOnly(0.0);
    }

}
