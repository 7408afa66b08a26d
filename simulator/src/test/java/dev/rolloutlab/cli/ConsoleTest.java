package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.engine.Progress;
import dev.rolloutlab.result.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console narrates the run: each event worth knowing as it happens, and which version is failing. */
class ConsoleTest {
    @Test
    void theRolloutIsToldStepByStepWithItsTimes() {
        Console.Notices notices = new Console.Notices(3);
        List<Event> events = List.of(
            new Event(-1, "replica-ready", Map.of("pod", "v1-1", "version", "v1")),
            // Before the load starts, times count from set-up and the warm-up lags: not part of the story.
            new Event(7.5, "platform-lagging", Map.of("lateMs", 150.0, "loop", "proxy-1", "boundMs", 100)),
            new Event(0, "load-start", Map.of("rate", 1000.0)),
            new Event(5, "rollout-start", Map.of("strategy", "canary", "from", "v1", "to", "v2")),
            new Event(5.01, "set-weight", Map.of("weight", 10)),
            new Event(5.02, "pause", Map.of("duration", 20.0)),
            new Event(6, "analysis", Map.of("rule", "latencyP95 of candidate > 300ms for 5s", "state", "failing",
                "value", 412.0)),
            new Event(7, "fault-start", Map.of("type", "outage", "target", "all", "duration", 1.5)),
            new Event(8.5, "fault-end", Map.of("type", "outage", "target", "all")),
            new Event(11, "analysis-failed", Map.of("rule", "latencyP95 of candidate > 300ms for 5s", "value",
                415.0)),
            new Event(11, "rollback", Map.of("reason", "latencyP95 of candidate 415ms > 300ms for 5s",
                "afterPromotion", false)),
            new Event(11.06, "abort-scale-down-delay", Map.of("duration", 0.9)),
            new Event(12, "rollback-complete", Map.of()),
            new Event(12.5, "replica-terminated", Map.of("pod", "v2-1", "version", "v2")));

        List<String> lines = events.stream().map(notices::of).flatMap(Optional::stream).toList();

        assertThat(lines).containsExactly(
            "   5.00s  ▸ rollout v1 → v2 (canary)",
            "   5.01s  ▸ weight 10% to the candidate",
            "   5.02s  ▸ pause 20s",
            "   6.00s  ▸ analysis: latencyP95 of candidate > 300ms for 5s: failing (412.0)",
            "   7.00s  ▸ fault outage on all for 1500ms",
            "   8.50s  ▸ fault over: outage on all",
            "  11.00s  ▸ ANALYSIS FAILED: latencyP95 of candidate > 300ms for 5s (415.0)",
            "  11.00s  ▸ ROLLBACK decided: latencyP95 of candidate 415ms > 300ms for 5s",
            "  11.06s  ▸ cleanup: the candidate is removed after 900ms (users are on stable already)",
            "  12.00s  ▸ rollback complete: the candidate is gone");
    }

    @Test
    void everyProgressLineSaysWhichVersionIsFailing() {
        Map<String, Long> served = new LinkedHashMap<>(Map.of("v1", 906L, "v2", 94L));
        assertThat(Console.progressLine(progress(0.094, served, Map.of("v2", 94L), Map.of(), false)))
            .contains("err   9.40% (failing: v2 94/94)");
        assertThat(Console.progressLine(progress(0, served, Map.of(), Map.of(), false))).contains("(failing: none)");
        // Refused by the proxy on the way to v2 (it said so), and 5 that reached no version at all.
        Map<String, Long> withUnknown = Map.of("v1", 900L, "unknown", 100L);
        assertThat(Console.progressLine(progress(0.1, withUnknown, Map.of("unknown", 100L), Map.of("v2", 95L),
            false))).contains("(failing: v2 95 at the proxy, no version reached 5)");
    }

    @Test
    void anOutageIsAnnouncedWhenItBeginsAndWhenItEnds() {
        Console.Notices notices = new Console.Notices(3);
        Map<String, Long> down = Map.of("unknown", 1000L);

        assertThat(notices.progressLine(progress(0, Map.of("v1", 1000L), Map.of(), Map.of(), false)))
            .doesNotContain("OUTAGE");
        assertThat(notices.progressLine(progress(1, down, down, Map.of(), false)))
            .startsWith("   3.00s  ▸ OUTAGE: every request of the last second failed (no version reached 1000)\n");
        assertThat(notices.progressLine(progress(1, down, down, Map.of(), false))).doesNotContain("OUTAGE");
        assertThat(notices.progressLine(progress(0, Map.of("v1", 1000L), Map.of(), Map.of(), false)))
            .startsWith("   3.00s  ▸ outage over: requests succeed again\n");
    }

    @Test
    void theLagMessageSaysWhoLagsAndNeverThatTheMachineCannotKeepTheRate() {
        Console.Notices notices = new Console.Notices(3);
        notices.of(new Event(0, "load-start", Map.of()));
        Map<String, Long> served = Map.of("v1", 1000L);

        String generatorOnly = notices.progressLine(progress(0, served, Map.of(), Map.of(), true));
        assertThat(generatorOnly).contains("! GENERATOR 79 ms LATE: its event loop did not run on time")
            .doesNotContain("PLATFORM", "cannot keep the rate");

        assertThat(notices.of(new Event(2.5, "platform-lagging", Map.of("lateMs", 120.4, "loop", "proxy-1",
            "boundMs", 100)))).hasValueSatisfying(l -> assertThat(l).startsWith("   2.50s  ▸ ! platform lagging: "
            + "its event loop proxy-1 ran 120.4 ms late"));
        assertThat(notices.progressLine(progress(0, served, Map.of(), Map.of(), true)))
            .contains("! GENERATOR 79 ms LATE, PLATFORM 120 ms LATE: the generator and the in-process platform")
            .doesNotContain("cannot keep the rate");
        // Not late itself, the generator's line says nothing about lag.
        assertThat(notices.progressLine(progress(0, served, Map.of(), Map.of(), false))).doesNotContain("LATE");
    }

    private static Progress progress(double errorRate, Map<String, Long> served, Map<String, Long> failed,
                                     Map<String, Long> routed, boolean lagging) {
        return new Progress(3, 30, 1000, errorRate, 1.35, served, lagging ? 79 : 0.4, lagging, 0, 0, failed, routed);
    }
}
