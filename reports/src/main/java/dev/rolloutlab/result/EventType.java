package dev.rolloutlab.result;

import java.util.HashMap;
import java.util.Map;

/**
 * The vocabulary of a run's events; {@link #key()} is the {@code type} written to result.json (a contract). A result
 * file from a newer minor version may carry types this build does not know: {@link #of(String)} is then null.
 */
public enum EventType {
    // The load
    WARMUP("warmup"),
    LOAD_START("load-start"),
    LOAD_END("load-end"),
    ABORTED("aborted"),
    /** A gate with {@code abortOnFail} breached while running: the load stops. */
    GATE_ABORT("gate-abort"),
    GENERATOR_CONNECTION_CAP("generator-connection-cap"),
    GENERATOR_LIMITED("generator-limited"),
    // The platform
    KUBERNETES("kubernetes"),
    /** On Kubernetes: the stable pods are ready; waiting for the service's entry point from outside to answer. */
    ENTRY_POINT("entry-point"),
    PLATFORM_ERROR("platform-error"),
    PLATFORM_LAGGING("platform-lagging"),
    REPLICA_STARTED("replica-started"),
    REPLICA_READY("replica-ready"),
    REPLICA_NOT_READY("replica-not-ready"),
    REPLICA_RESTARTED("replica-restarted"),
    REPLICA_CRASHED("replica-crashed"),
    REPLICA_TERMINATING("replica-terminating"),
    REPLICA_TERMINATED("replica-terminated"),
    FAULT_START("fault-start"),
    /** On Kubernetes: Chaos Mesh confirmed the fault's injection into every selected pod. */
    FAULT_INJECTED("fault-injected"),
    /** On Kubernetes: the fault did not happen (refused, no pod selected, never confirmed), with why. */
    FAULT_FAILED("fault-failed"),
    FAULT_END("fault-end"),
    // The rollout's milestones
    ROLLOUT_START("rollout-start"),
    ROLLOUT_COMPLETE("rollout-complete"),
    ROLLBACK("rollback"),
    ROLLBACK_COMPLETE("rollback-complete"),
    ROLLOUT_FAILED("rollout-failed"),
    // The rollout's steps
    ROUTE("route"),
    SWITCH("switch"),
    SET_WEIGHT("set-weight"),
    SCALE("scale"),
    PAUSE("pause"),
    BAKE("bake"),
    AWAIT_PROMOTION("await-promotion"),
    PROMOTE("promote"),
    SCALE_DOWN_DELAY("scale-down-delay"),
    ABORT_SCALE_DOWN_DELAY("abort-scale-down-delay"),
    DEPLOYMENT_UPDATE("deployment-update"),
    ROLLING_UPDATE("rolling-update"),
    RESTART("restart"),
    CELL_EXPOSED("cell-exposed"),
    // The analysis
    ANALYSIS("analysis"),
    ANALYSIS_FAILED("analysis-failed");

    private static final Map<String, EventType> BY_KEY = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_KEY.put(t.key, t);
        }
    }

    private final String key;

    EventType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The type of that key, or null for one this build does not know. */
    public static EventType of(String key) {
        return BY_KEY.get(key);
    }

    /** The end of the rollout window: promoted, rolled back or failed. */
    public boolean endsRollout() {
        return this == ROLLOUT_COMPLETE || this == ROLLBACK_COMPLETE || this == ROLLOUT_FAILED;
    }

    @Override
    public String toString() {
        return key;
    }
}
