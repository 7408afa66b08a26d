package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The readiness probe: a replica gets traffic only once it answers {@code path}, and loses it after
 * {@code failureThreshold} failed probes, checked every {@code period}; a probe not answered within {@code timeout}
 * fails (Kubernetes' {@code timeoutSeconds}). Defaults {@code /healthz}, 1s, 1, 1s.
 */
public record Readiness(String path, Duration period, int failureThreshold, Duration timeout) {
    static final Readiness DEFAULT = new Readiness("/healthz", Duration.ofSeconds(1), 1, Duration.ofSeconds(1));

    @JsonCreator
    static Readiness fromYaml(@JsonProperty("path") String path, @JsonProperty("period") Duration period,
                              @JsonProperty("failureThreshold") Integer failureThreshold,
                              @JsonProperty("timeout") Duration timeout) {
        return new Readiness(path != null ? path : DEFAULT.path, period != null ? period : DEFAULT.period,
            failureThreshold != null ? failureThreshold : DEFAULT.failureThreshold,
            timeout != null ? timeout : DEFAULT.timeout);
    }
}
