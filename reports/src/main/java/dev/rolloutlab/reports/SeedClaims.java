package dev.rolloutlab.reports;

import dev.rolloutlab.result.Claims;
import java.util.Map;

/**
 * What rollout-lab's seed document claims for each approach: its "Zero-Downtime Deployments" table gives, for a
 * service of a few replicas whose instances start in 20-60 s, each approach's downtime, rollback time and resource
 * overhead. A scenario that says {@code claims: seed} carries its strategy's row into its result, and {@code compare}
 * prints it beside the measurement. The claims are production figures; the seed-table scenarios scale startup and
 * pauses down to seconds, so their times are compared by shape (zero or not, sub-second or not), not by value.
 */
public final class SeedClaims {
    public static final String SOURCE = "seed";

    private static final Map<String, Claims> BY_STRATEGY = Map.of(
        "recreate", new Claims(SOURCE, "Traditional", "5-10 min", "10-15 min", "none", true),
        "rolling", new Claims(SOURCE, "Rolling Update", "0 s", "5-7 min", "+30%", true),
        "blue-green", new Claims(SOURCE, "Blue-Green", "0 s", "< 1 s", "+100%", true),
        "canary", new Claims(SOURCE, "Canary", "0 s", "< 1 min", "+10%", true));

    private SeedClaims() {
    }

    /** @return the seed's claims for a strategy, or null when the seed table has no row for it */
    public static Claims of(String strategy) {
        return BY_STRATEGY.get(strategy);
    }
}
