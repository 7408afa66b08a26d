package dev.rolloutlab.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.clock.Clock;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.platform.Routing;
import dev.rolloutlab.platform.local.FrontProxy.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPropagationTest {
    private static final Duration LAG = Duration.ofMillis(200);
    private static final Endpoint V1 = Endpoint.of("v1-1", "v1", 0, 9001);
    private static final Endpoint V2 = Endpoint.of("v2-2", "v2", 0, 9002);

    /** What the proxy was told, in order, and when a change's follow-up ran among those updates. */
    private final List<String> seen = new ArrayList<>();

    private EndpointPropagation propagation(Clock clock) {
        return new EndpointPropagation(new Object(), clock, LAG, (endpoints, routing) -> seen.add(
            endpoints.stream().map(Endpoint::pod).toList() + " " + routing));
    }

    @Test
    void aChangeReachesTheProxyOnlyOnceTheLagHasPassed() {
        ManualClock clock = new ManualClock();
        EndpointPropagation endpoints = propagation(clock);
        endpoints.publish(V1);

        clock.advance(LAG.minusMillis(1));
        assertThat(seen).isEmpty();
        assertThat(endpoints.published(V1)).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(seen).containsExactly("[v1-1] AllReady[]");
        assertThat(endpoints.published(V1)).isTrue();
    }

    /** Real timers of equal delays may fire out of order; the proxy still sees the changes in the order made. */
    @Test
    void changesTakeEffectInTheOrderTheyWereMadeWhateverOrderTheirTimersFireIn() {
        List<Runnable> timers = new ArrayList<>();
        Clock firedByHand = new Clock() {
            @Override
            public long nanos() {
                return 0;
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable action) {
                timers.add(action);
                return () -> { };
            }
        };
        EndpointPropagation endpoints = propagation(firedByHand);
        endpoints.publish(V1);
        endpoints.publish(V2);
        endpoints.route(new Routing.Selector("v2"));
        endpoints.unpublish(V1, () -> seen.add("then"));

        timers.get(2).run();
        assertThat(seen).containsExactly("[v1-1, v2-2] Selector[version=v2]");
        timers.get(3).run();
        timers.get(0).run();
        timers.get(1).run();
        assertThat(seen).containsExactly("[v1-1, v2-2] Selector[version=v2]", "[v2-2] Selector[version=v2]", "then");
        assertThat(endpoints.published(V1)).isFalse();
        assertThat(endpoints.published(V2)).isTrue();
    }

    @Test
    void onceStoppedChangesStillPropagatingAreDroppedAndTheirFollowUpNeverRuns() {
        ManualClock clock = new ManualClock();
        EndpointPropagation endpoints = propagation(clock);
        endpoints.publish(V1);
        clock.advance(LAG);
        endpoints.unpublish(V1, () -> seen.add("then"));
        endpoints.stop();
        endpoints.publish(V2);

        clock.advance(LAG.multipliedBy(2));
        assertThat(seen).containsExactly("[v1-1] AllReady[]");
        assertThat(endpoints.published(V1)).isTrue();
        assertThat(endpoints.published(V2)).isFalse();
    }
}
