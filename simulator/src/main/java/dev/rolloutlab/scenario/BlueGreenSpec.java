package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code strategy.type: blue-green}, Argo Rollouts' blue-green: the keys every type takes ({@link StrategySpec}) and
 * these.
 *
 * @param previewFor     how long green runs beside blue before the switch (default 0s)
 * @param autoPromote    switch without a manual promotion (default true)
 * @param scaleDownDelay how long blue stays up after the switch, for a fast rollback (default 30s)
 */
public record BlueGreenSpec(Duration startAt, String trafficRouting, Duration progressDeadline, Duration previewFor,
                            boolean autoPromote, Duration scaleDownDelay) implements StrategySpec {
    @JsonCreator
    static BlueGreenSpec fromYaml(@JsonProperty("startAt") Duration startAt,
                                  @JsonProperty("trafficRouting") String trafficRouting,
                                  @JsonProperty("progressDeadline") Duration progressDeadline,
                                  @JsonProperty("previewFor") Duration previewFor,
                                  @JsonProperty("autoPromote") Boolean autoPromote,
                                  @JsonProperty("scaleDownDelay") Duration scaleDownDelay) {
        return new BlueGreenSpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE,
            previewFor != null ? previewFor : Duration.ZERO, autoPromote == null || autoPromote,
            scaleDownDelay != null ? scaleDownDelay : Duration.ofSeconds(30));
    }

    @Override
    public StrategyType type() {
        return StrategyType.BLUE_GREEN;
    }

    @Override
    public BlueGreenSpec withTrafficRouting(String routing) {
        return new BlueGreenSpec(startAt, routing, progressDeadline, previewFor, autoPromote, scaleDownDelay);
    }

    /** Nothing of its own to check: 0s is a fine preview (switch at once) and a fine delay (blue goes at once). */
    @Override
    public void check(Scenario scenario, KeyPath at, Problems problems) {
    }
}
