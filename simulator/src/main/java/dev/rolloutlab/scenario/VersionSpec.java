package dev.rolloutlab.scenario;

import dev.rolloutlab.demo.Behavior;

/**
 * One version of the service: the name it reports in the version header, and how the demo service misbehaves
 * when it runs it (YAML {@code {version: v2, behavior: {errorRate: 0.5, latency: 20ms}}}).
 *
 * @param behavior default {@link Behavior#DEFAULT}, a healthy service
 */
public record VersionSpec(String version, Behavior behavior) {
    public VersionSpec {
        behavior = behavior == null ? Behavior.DEFAULT : behavior;
    }
}
