package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code strategy.type: hot-patch}, a patched build shipped by {@code kubectl rollout restart} through the
 * Deployment's rolling update: the keys every type takes ({@link StrategySpec}) and the limits of the update
 * ({@link RollingUpdateSpec}).
 */
public record HotPatchSpec(Duration startAt, String trafficRouting, Duration progressDeadline, IntOrPercent maxSurge,
                           IntOrPercent maxUnavailable) implements RollingUpdateSpec {
    @JsonCreator
    static HotPatchSpec fromYaml(@JsonProperty("startAt") Duration startAt,
                                 @JsonProperty("trafficRouting") String trafficRouting,
                                 @JsonProperty("progressDeadline") Duration progressDeadline,
                                 @JsonProperty("maxSurge") IntOrPercent maxSurge,
                                 @JsonProperty("maxUnavailable") IntOrPercent maxUnavailable) {
        return new HotPatchSpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE,
            maxSurge != null ? maxSurge : DEFAULT_MAX_SURGE,
            maxUnavailable != null ? maxUnavailable : DEFAULT_MAX_UNAVAILABLE);
    }

    @Override
    public StrategyType type() {
        return StrategyType.HOT_PATCH;
    }

    @Override
    public HotPatchSpec withTrafficRouting(String routing) {
        return new HotPatchSpec(startAt, routing, progressDeadline, maxSurge, maxUnavailable);
    }
}
