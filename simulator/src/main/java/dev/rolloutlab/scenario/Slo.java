package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** The service level the run is held to: a second whose error ratio exceeds {@code errorRate} is degraded. */
public record Slo(double errorRate) {
    static final Slo DEFAULT = new Slo(0.01);

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Slo fromYaml(@JsonProperty("errorRate") @JsonDeserialize(using = ScenarioBinder.ShareDeserializer.class)
                        Double errorRate) {
        return errorRate != null ? new Slo(errorRate) : DEFAULT;
    }
}
