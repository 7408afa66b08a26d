package dev.rolloutlab.scenario;

import java.time.Duration;

/** A scripted abort, as if an operator hit the button: {@code at} counts from load start. */
public record Rollback(Duration at) {
    public Rollback {
        if (at == null) {
            throw new KeyError("at", "required: when to abort the rollout, counted from load start, e.g. at: 30s");
        }
    }
}
