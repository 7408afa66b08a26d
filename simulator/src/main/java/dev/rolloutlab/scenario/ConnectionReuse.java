package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How long a generator connection lives, as a population of clients behind an ingress does: it is closed after
 * {@code maxRequests} requests or once it is {@code maxAge} old, whichever comes first (defaults 1000 and 30s, near
 * ingress-nginx's keep-alive limits). Bounded reuse is what lets a per-connection balancer (kube-proxy) send traffic
 * to new pods, and what makes clients meet a terminating pod's closed connections.
 */
public record ConnectionReuse(int maxRequests, Duration maxAge) {
    public static final ConnectionReuse DEFAULT = new ConnectionReuse(1000, Duration.ofSeconds(30));

    @JsonCreator
    static ConnectionReuse fromYaml(@JsonProperty("maxRequests") Integer maxRequests,
                                    @JsonProperty("maxAge") Duration maxAge) {
        return new ConnectionReuse(maxRequests != null ? maxRequests : DEFAULT.maxRequests,
            maxAge != null ? maxAge : DEFAULT.maxAge);
    }
}
