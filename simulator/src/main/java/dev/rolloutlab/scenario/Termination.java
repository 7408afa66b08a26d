package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How a replica stops: it keeps serving for {@code preStop} (so endpoint removal can propagate first), then drains
 * in-flight requests and is killed after {@code gracePeriod} (defaults 0s and 30s, as in Kubernetes).
 */
public record Termination(Duration preStop, Duration gracePeriod) {
    static final Termination DEFAULT = new Termination(Duration.ZERO, Duration.ofSeconds(30));

    @JsonCreator
    static Termination fromYaml(@JsonProperty("preStop") Duration preStop,
                                @JsonProperty("gracePeriod") Duration gracePeriod) {
        return new Termination(preStop != null ? preStop : DEFAULT.preStop,
            gracePeriod != null ? gracePeriod : DEFAULT.gracePeriod);
    }
}
