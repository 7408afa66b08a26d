package dev.rolloutlab.scenario;

import dev.rolloutlab.demo.Behavior;

/**
 * One version of the service: the name it reports in the version header, and how the demo service misbehaves
 * when it runs it (YAML {@code {version: v2, behavior: {errorRate: 0.5, latency: 20ms}}}).
 *
 * @param behavior default {@link Behavior#DEFAULT}, a healthy service
 * @param image    on Kubernetes, the user's own image of this version (it gets {@code VERSION}, {@code POD} and
 *                 {@code PORT=8080} in its environment); {@code null} for the demo image with {@code behavior}
 */
public record VersionSpec(String version, Behavior behavior, String image) {
    public VersionSpec {
        behavior = behavior == null ? Behavior.DEFAULT : behavior;
    }

    public VersionSpec(String version, Behavior behavior) {
        this(version, behavior, null);
    }
}
