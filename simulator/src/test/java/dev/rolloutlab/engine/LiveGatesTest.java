package dev.rolloutlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveGatesTest {
    private static final long MS = 1_000_000L;

    @Test
    void judgesExactlyTheMetricsTheValidatorCallsLive() {
        assertThat(LiveGates.judged()).containsExactlyElementsOf(GateMetrics.live());
    }

    @Test
    void aBreachOfMaxSoFarIsReportedFromTheFirstSecondOnOthersAreNot() {
        Recorder r = new Recorder(10 * MS, 5, 100, 10_000, 2_000 * MS);
        // 100 requests over 1 s, every 4th failed: an error rate of 0.25 so far.
        for (int i = 0; i < 100; i++) {
            r.record(i, i * 10 * MS, MS, i % 4 == 0 ? Outcome.HTTP5XX : Outcome.SUCCESS, "v1", i);
        }
        Map<String, Gate> gates = new LinkedHashMap<>();
        gates.put("downtimeSeconds", new Gate(0.0, null, null, null, null, true));
        gates.put("failedRequests", new Gate(100.0, null, null, null, null, true));
        gates.put("errorRate", new Gate(0.2, null, null, null, null, true));
        gates.put("latencyP99Ms", new Gate(50.0, null)); // no abortOnFail: judged at the end only
        LiveGates live = new LiveGates(gates);

        assertThat(live.check(r, 0.9)).as("before the first second").isEmpty();
        LiveGates.Breach breach = live.check(r, 1.25).orElseThrow();
        assertThat(breach.metric()).isEqualTo("errorRate");
        assertThat(breach.actual()).isEqualTo(0.25);
        assertThat(breach.reason()).isEqualTo("abortOnFail: stopped the run at 1.250 s, when errorRate so far was "
            + "0.25 > max 0.2");
        assertThat(new LiveGates(Map.of("errorRate", new Gate(0.3, null, null, null, null, true))).check(r, 2))
            .isEmpty();
        assertThat(new LiveGates(Map.of("errorRate", new Gate(0.01, null))).isEmpty()).isTrue();
    }
}
