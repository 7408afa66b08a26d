package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the candidate replaces the stable version. One record for every type: the fields that belong to another
 * type are {@code null} (a file that sets them is rejected), the rest carry their defaults.
 *
 * @param type                one of {@link #TYPES}
 * @param startAt             when the rollout starts, counted from load start, so the load first runs alone as the
 *                            baseline (default 5s)
 * @param trafficRouting      one of {@link #TRAFFIC_ROUTINGS}: {@code proxy} (exact weights, local platform;
 *                            the local default), {@code replicas} (weight = replica ratio; the Kubernetes default),
 *                            {@code istio} or {@code gatewayApi} (Kubernetes)
 * @param steps               canary: the step plan; empty goes straight to 100%
 * @param maxSurge            rolling, hot-patch: extra pods allowed during the rollout (default 25%)
 * @param maxUnavailable      rolling, hot-patch: pods that may be down during the rollout (default 25%)
 * @param progressDeadline    a rollout that makes no progress this long fails (default 10m)
 * @param previewFor          blue-green: how long green runs beside blue before the switch (default 0s)
 * @param autoPromote         blue-green: switch without a manual promotion (default true; ignored by other types)
 * @param scaleDownDelay      blue-green: how long blue stays up after the switch, for a fast rollback (default 30s)
 * @param abortScaleDownDelay canary: how long the candidate stays up after an abort (default 30s)
 * @param cells               cell-based: how many cells the replicas are split into, required, 1..replicas
 * @param bakeTime            cell-based: how long each cell runs the candidate before the next one (default 10s)
 */
public record Strategy(String type, Duration startAt, String trafficRouting, List<Step> steps,
                       IntOrPercent maxSurge, IntOrPercent maxUnavailable, Duration progressDeadline,
                       Duration previewFor, boolean autoPromote, Duration scaleDownDelay,
                       Duration abortScaleDownDelay, Integer cells, Duration bakeTime) {
    public static final List<String> TYPES =
        List.of("recreate", "rolling", "blue-green", "canary", "hot-patch", "cell-based");
    public static final List<String> TRAFFIC_ROUTINGS = List.of("proxy", "replicas", "istio", "gatewayApi");
    /** YAML keys every type takes. */
    static final List<String> COMMON_KEYS = List.of("type", "startAt", "trafficRouting", "progressDeadline");
    /** YAML keys only some types take, so a misplaced one can be named with the types it belongs to. */
    static final Map<String, List<String>> TYPE_KEYS = Map.of(
        "recreate", List.of(),
        "rolling", List.of("maxSurge", "maxUnavailable"),
        "hot-patch", List.of("maxSurge", "maxUnavailable"),
        "blue-green", List.of("previewFor", "autoPromote", "scaleDownDelay"),
        "canary", List.of("steps", "abortScaleDownDelay"),
        "cell-based", List.of("cells", "bakeTime"));

    private static final IntOrPercent QUARTER = new IntOrPercent(25, true);

    public Strategy {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    @JsonCreator
    static Strategy fromYaml(@JsonProperty("type") String type, @JsonProperty("startAt") Duration startAt,
                             @JsonProperty("trafficRouting") String trafficRouting,
                             @JsonProperty("steps") List<Step> steps, @JsonProperty("maxSurge") IntOrPercent maxSurge,
                             @JsonProperty("maxUnavailable") IntOrPercent maxUnavailable,
                             @JsonProperty("progressDeadline") Duration progressDeadline,
                             @JsonProperty("previewFor") Duration previewFor,
                             @JsonProperty("autoPromote") Boolean autoPromote,
                             @JsonProperty("scaleDownDelay") Duration scaleDownDelay,
                             @JsonProperty("abortScaleDownDelay") Duration abortScaleDownDelay,
                             @JsonProperty("cells") Integer cells, @JsonProperty("bakeTime") Duration bakeTime) {
        boolean rolling = "rolling".equals(type) || "hot-patch".equals(type);
        boolean blueGreen = "blue-green".equals(type);
        return new Strategy(type, or(startAt, Duration.ofSeconds(5)), trafficRouting, steps,
            or(maxSurge, rolling ? QUARTER : null), or(maxUnavailable, rolling ? QUARTER : null),
            or(progressDeadline, Duration.ofMinutes(10)), or(previewFor, blueGreen ? Duration.ZERO : null),
            autoPromote == null || autoPromote, or(scaleDownDelay, blueGreen ? Duration.ofSeconds(30) : null),
            or(abortScaleDownDelay, "canary".equals(type) ? Duration.ofSeconds(30) : null), cells,
            or(bakeTime, "cell-based".equals(type) ? Duration.ofSeconds(10) : null));
    }

    Strategy withTrafficRouting(String routing) {
        return new Strategy(type, startAt, routing, steps, maxSurge, maxUnavailable, progressDeadline, previewFor,
            autoPromote, scaleDownDelay, abortScaleDownDelay, cells, bakeTime);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
