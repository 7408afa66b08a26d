package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code strategy.type: rolling}, a Deployment's rolling update: the keys every type takes ({@link StrategySpec}) and
 * the limits of the update ({@link RollingUpdateSpec}).
 */
public record RollingSpec(Duration startAt, String trafficRouting, Duration progressDeadline, IntOrPercent maxSurge,
                          IntOrPercent maxUnavailable) implements RollingUpdateSpec {
    @JsonCreator
    static RollingSpec fromYaml(@JsonProperty("startAt") Duration startAt,
                                @JsonProperty("trafficRouting") String trafficRouting,
                                @JsonProperty("progressDeadline") Duration progressDeadline,
                                @JsonProperty("maxSurge") IntOrPercent maxSurge,
                                @JsonProperty("maxUnavailable") IntOrPercent maxUnavailable) {
        return new RollingSpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE,
            maxSurge != null ? maxSurge : DEFAULT_MAX_SURGE,
            maxUnavailable != null ? maxUnavailable : DEFAULT_MAX_UNAVAILABLE);
    }

    @Override
    public StrategyType type() {
        return StrategyType.ROLLING;
    }

    @Override
    public RollingSpec withTrafficRouting(String routing) {
        return new RollingSpec(startAt, routing, progressDeadline, maxSurge, maxUnavailable);
    }
}
