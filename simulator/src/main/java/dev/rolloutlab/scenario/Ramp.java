package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * One stage of a ramped load, YAML {@code {rate: 100/s, for: 10s}}: the rate goes linearly from the previous
 * stage's rate to {@code rate} over {@code duration}.
 */
public record Ramp(Rate rate, @JsonProperty("for") Duration duration) {
    public Ramp {
        if (rate == null) {
            throw new KeyError("rate", "required: the rate this stage ramps to, e.g. rate: 100/s");
        }
        if (duration == null) {
            throw new KeyError("for", "required: how long this stage ramps, e.g. for: 10s");
        }
    }
}
