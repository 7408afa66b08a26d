package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rolloutlab.demo.Behavior;
import java.time.Duration;

/**
 * The service a platform deploys, with the Kubernetes-like lifecycle knobs that decide how much a rollout hurts.
 *
 * @param replicas    pods per version at steady state, at least 1 (default 3)
 * @param command     the user's own server per replica ({@code ${PORT}} substituted), {@code null} for the demo service
 * @param stable      the version serving before the rollout (default {@code v1}, well-behaved)
 * @param candidate   the version the strategy rolls out; {@code null} for a load-only run
 * @param endpointLag how long endpoint changes take to reach the proxy (local platform), default 0
 */
public record Service(int replicas, String command, VersionSpec stable, VersionSpec candidate, Readiness readiness,
                      Termination termination, Duration endpointLag) {
    static final Service DEFAULT = fromYaml(null, null, null, null, null, null, null);

    @JsonCreator
    static Service fromYaml(@JsonProperty("replicas") Integer replicas, @JsonProperty("command") String command,
                            @JsonProperty("stable") VersionSpec stable, @JsonProperty("candidate") VersionSpec candidate,
                            @JsonProperty("readiness") Readiness readiness,
                            @JsonProperty("termination") Termination termination,
                            @JsonProperty("endpointLag") Duration endpointLag) {
        VersionSpec stableSpec = stable == null ? new VersionSpec("v1", Behavior.DEFAULT)
            : stable.version() == null ? new VersionSpec("v1", stable.behavior(), stable.image()) : stable;
        return new Service(replicas != null ? replicas : 3, command, stableSpec, candidate,
            readiness != null ? readiness : Readiness.DEFAULT, termination != null ? termination : Termination.DEFAULT,
            endpointLag != null ? endpointLag : Duration.ZERO);
    }
}
