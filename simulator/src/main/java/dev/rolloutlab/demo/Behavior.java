package dev.rolloutlab.demo;

import java.time.Duration;
import java.util.Map;

/**
 * The knobs of the demo service, as a scenario's {@code behavior} sets them for one version.
 *
 * @param errorRate    share of requests answered 500, in [0, 1]
 * @param latency      service time added to every request
 * @param startupDelay time before the replica listens and turns ready
 * @param crashAfter   the replica exits after running this long; {@code null} for never
 * @param pathDelays   service time added, on top of {@code latency}, to requests whose path (query excluded) is the
 *                     key, so one kind of request of a mix can be the slow one; empty for none
 */
public record Behavior(double errorRate, Duration latency, Duration startupDelay, Duration crashAfter,
                       Map<String, Duration> pathDelays) {
    public static final Behavior DEFAULT = new Behavior(0, Duration.ZERO, Duration.ZERO, null);

    public Behavior {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be within 0..1, got " + errorRate);
        }
        latency = latency == null ? Duration.ZERO : latency;
        startupDelay = startupDelay == null ? Duration.ZERO : startupDelay;
        pathDelays = pathDelays == null ? Map.of() : Map.copyOf(pathDelays);
    }

    public Behavior(double errorRate, Duration latency, Duration startupDelay, Duration crashAfter) {
        this(errorRate, latency, startupDelay, crashAfter, Map.of());
    }

    /** The service time of a request for {@code path}: {@code latency} plus the path's own delay. */
    public Duration latencyOf(String path) {
        Duration own = pathDelays.isEmpty() ? null : pathDelays.get(path);
        return own == null ? latency : latency.plus(own);
    }
}
