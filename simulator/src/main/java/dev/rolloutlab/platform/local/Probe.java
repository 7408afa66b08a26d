package dev.rolloutlab.platform.local;

/** What one readiness probe says about its replica. */
public enum Probe {
    PASSED,
    FAILED,
    /** Timed out while the platform itself lagged: says nothing about the replica. */
    INCONCLUSIVE
}
