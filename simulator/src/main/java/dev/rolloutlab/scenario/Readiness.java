package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The readiness probe: a replica gets traffic only once it answers {@code path}, and loses it after
 * {@code failureThreshold} failed probes, checked every {@code period} (defaults {@code /healthz}, 1s, 1).
 */
public record Readiness(String path, Duration period, int failureThreshold) {
    static final Readiness DEFAULT = new Readiness("/healthz", Duration.ofSeconds(1), 1);

    @JsonCreator
    static Readiness fromYaml(@JsonProperty("path") String path, @JsonProperty("period") Duration period,
                              @JsonProperty("failureThreshold") Integer failureThreshold) {
        return new Readiness(path != null ? path : DEFAULT.path, period != null ? period : DEFAULT.period,
            failureThreshold != null ? failureThreshold : DEFAULT.failureThreshold);
    }
}
