package dev.rolloutlab.platform;

import dev.rolloutlab.scenario.IntOrPercent;
import java.time.Duration;

/**
 * A Deployment's own update strategy, as {@code spec.strategy} states it, for platforms whose controller replaces
 * the pods of a Deployment itself (see {@link Platform#updateInPlace}).
 *
 * @param restart a {@code kubectl rollout restart} (hot patch) rather than a release
 */
public record DeploymentUpdate(Type type, IntOrPercent maxSurge, IntOrPercent maxUnavailable, Duration progressDeadline,
                               boolean restart) {
    public enum Type { RECREATE, ROLLING_UPDATE }
}
