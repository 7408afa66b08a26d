package dev.rolloutlab.chaos.mesh;

import dev.rolloutlab.chaos.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The pods of a run on Kubernetes and how they are labelled ({@code app}, {@code version}, {@code cell}), so a fault
 * {@link Target} becomes a Chaos Mesh selector that cannot reach anything but this run's app in this run's namespace.
 *
 * @param app       the {@code app} label: the scenario name
 * @param stable    the stable version's {@code version} label
 * @param candidate the candidate's {@code version} label; {@code null} in a load-only run
 * @param httpPort  the container port HTTP faults intercept
 * @param loadPath  the request path of the load, the only one HTTP faults intercept (never the readiness probe's)
 */
public record RunPods(String namespace, String app, String stable, String candidate, int httpPort, String loadPath) {
    public RunPods {
        Objects.requireNonNull(loadPath, "loadPath");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(stable, "stable");
    }

    /** @throws IllegalArgumentException for a candidate target in a run without a candidate */
    public Map<String, String> labels(Target target) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", app);
        switch (target.kind()) {
            case STABLE -> labels.put("version", stable);
            case CANDIDATE -> {
                if (candidate == null) {
                    throw new IllegalArgumentException("target candidate, but the run has no candidate version");
                }
                labels.put("version", candidate);
            }
            case CELL -> labels.put("cell", Integer.toString(target.cell()));
            case ALL -> { }
        }
        return labels;
    }
}
