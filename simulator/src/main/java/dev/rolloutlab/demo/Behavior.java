package dev.rolloutlab.demo;

import java.time.Duration;

/**
 * The knobs of the demo service, as a scenario's {@code behavior} sets them for one version.
 *
 * @param errorRate    share of requests answered 500, in [0, 1]
 * @param latency      service time added to every request
 * @param startupDelay time before the replica listens and turns ready
 * @param crashAfter   the replica exits after running this long; {@code null} for never
 */
public record Behavior(double errorRate, Duration latency, Duration startupDelay, Duration crashAfter) {
    public static final Behavior DEFAULT = new Behavior(0, Duration.ZERO, Duration.ZERO, null);

    public Behavior {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be within 0..1, got " + errorRate);
        }
        latency = latency == null ? Duration.ZERO : latency;
        startupDelay = startupDelay == null ? Duration.ZERO : startupDelay;
    }
}
