package dev.rolloutlab.chaos.mesh;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Name, namespace and labels of one Chaos Mesh object. The labels let {@link ChaosMeshInjector#cleanup} find what a
 * run left behind (the harness died, or was killed) without remembering anything.
 *
 * @param name  {@code rl-<runId>-<index>-<fault type>}
 * @param runId lower-case letters, digits and inner dashes, at most 40 characters (it goes into names and labels)
 */
public record ChaosMeta(String name, String namespace, String runId) {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "rollout-lab";
    public static final String RUN_ID_LABEL = "rollout-lab/run-id";

    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    /** @throws IllegalArgumentException when the run id cannot be part of a Kubernetes name and label */
    public static ChaosMeta of(String runId, int index, String faultType, String namespace) {
        requireRunId(runId);
        return new ChaosMeta("rl-" + runId + "-" + index + "-" + faultType, namespace, runId);
    }

    /** @throws IllegalArgumentException naming the expected form */
    public static String requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("bad run id \"" + runId
                + "\" (expected lower-case letters, digits and inner dashes, at most 40 characters)");
        }
        return runId;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> labels() {
        return (Map<String, String>) (Map<String, ?>) ChaosObject.map(MANAGED_BY_LABEL, MANAGED_BY, RUN_ID_LABEL, runId);
    }
}
