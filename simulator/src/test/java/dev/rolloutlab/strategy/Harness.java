package dev.rolloutlab.strategy;

import dev.rolloutlab.clock.EventLog;
import dev.rolloutlab.clock.ManualClock;
import dev.rolloutlab.result.Event;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.VersionSpec;
import java.time.Duration;
import java.util.List;

/**
 * One rollout of {@code v1 -> v2} on virtual time against a {@link FakePlatform} whose replicas turn ready 1 s after
 * they start and stop 2 s after they are told to. The rollout begins at time 0.
 */
final class Harness {
    final ManualClock clock = new ManualClock();
    final EventLog events = new EventLog(clock);
    final FakePlatform platform;
    final Rollout rollout;

    Harness(int replicas, Spec spec) {
        Service service = new Service(replicas, null, new VersionSpec("v1", null), new VersionSpec("v2", null), null,
            null, Duration.ZERO);
        platform = new FakePlatform(clock, "v1", replicas, spec.cells(), Duration.ofSeconds(1), Duration.ofSeconds(2));
        rollout = new Rollout(platform, clock, events, service, spec.build());
    }

    Harness start() {
        platform.start();
        rollout.begin(Strategies.create(rollout));
        return this;
    }

    /** Runs virtual time up to {@code seconds} since the rollout began. */
    Harness runTo(double seconds) {
        clock.advance(Duration.ofNanos(Math.round(seconds * 1e9) - clock.nanos()));
        return this;
    }

    List<String> calls() {
        return platform.calls();
    }

    /** Seconds of the first event of {@code type}. */
    double at(String type) {
        return events.events().stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow(
            () -> new AssertionError("no " + type + " event in " + events.events())).t();
    }

    List<Event> all(String type) {
        return events.events().stream().filter(e -> e.type().equals(type)).toList();
    }

    /** The milestones, in order. */
    List<String> milestones() {
        List<String> m = List.of("rollout-start", "rollout-complete", "rollback", "rollback-complete",
            "rollout-failed");
        return events.events().stream().map(Event::type).filter(m::contains).toList();
    }
}
