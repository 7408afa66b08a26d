package dev.rolloutlab.platform.local;

import java.time.Duration;

/**
 * The kubelet's wait before restarting a container that exited on its own: {@code initial}, doubling with every
 * restart of the same replica up to {@code max}. Kubernetes waits 10 s doubling to 5 min; the default here is much
 * faster so that a crash loop shows within a run of seconds. As on the kubelet, which forgets the back-off only
 * after 10 minutes of clean running, the back-off of a replica is never reset within a run.
 */
public record CrashLoopBackoff(Duration initial, Duration max) {
    public static final CrashLoopBackoff DEFAULT = new CrashLoopBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public CrashLoopBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before the next restart of a replica that has been restarted {@code restarts} times so far. */
    public Duration delay(int restarts) {
        Duration d = initial;
        for (int i = 0; i < restarts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) < 0 ? d : max;
    }
}
