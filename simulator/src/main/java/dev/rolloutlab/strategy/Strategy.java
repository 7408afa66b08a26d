package dev.rolloutlab.strategy;

/**
 * A deployment strategy: a plan of platform-neutral steps carried out through {@link Rollout#platform()} on the
 * rollout's clock. One implementation per file; each never sleeps and never knows which platform runs it.
 */
public interface Strategy {
    /** Begins the rollout; {@link Rollout#begin(Strategy)} has logged {@code rollout-start}. */
    void start();

    /**
     * Rolls back after {@link Rollout#abort} logged the decision: restore the stable version and scale the candidate
     * to zero, then call {@link Rollout#rollbackComplete()}. Called at most once.
     */
    void rollback();
}
