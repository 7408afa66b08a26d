package dev.rolloutlab.platform;

/**
 * @param desired  the count last asked for
 * @param running  started and not yet terminated (terminating ones included)
 * @param ready    passing readiness and in the Service's endpoints
 * @param restarts crash-loop restarts of the set's replicas so far
 */
public record ReplicaSetStatus(int desired, int running, int ready, int restarts) {
    public static final ReplicaSetStatus NONE = new ReplicaSetStatus(0, 0, 0, 0);
}
