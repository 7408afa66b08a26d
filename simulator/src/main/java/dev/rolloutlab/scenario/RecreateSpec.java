package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code strategy.type: recreate}, a Deployment's {@code Recreate}: it takes only the keys every type takes
 * ({@link StrategySpec} documents them).
 */
public record RecreateSpec(Duration startAt, String trafficRouting, Duration progressDeadline) implements StrategySpec {
    @JsonCreator
    static RecreateSpec fromYaml(@JsonProperty("startAt") Duration startAt,
                                 @JsonProperty("trafficRouting") String trafficRouting,
                                 @JsonProperty("progressDeadline") Duration progressDeadline) {
        return new RecreateSpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE);
    }

    @Override
    public StrategyType type() {
        return StrategyType.RECREATE;
    }

    @Override
    public RecreateSpec withTrafficRouting(String routing) {
        return new RecreateSpec(startAt, routing, progressDeadline);
    }

    /** Nothing of its own to check: every stable replica goes, then every candidate comes. */
    @Override
    public void check(Scenario scenario, KeyPath at, Problems problems) {
    }
}
