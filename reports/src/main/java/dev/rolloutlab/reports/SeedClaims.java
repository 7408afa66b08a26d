package dev.rolloutlab.reports;

import java.util.Map;

/**
 * What rollout-lab's seed document (its "Zero-Downtime Deployments" table) claims for each approach, so a
 * comparison can print the claim beside the measured value. The claims are production figures; the bundled
 * scenarios scale times down, so only the shape of a claim (zero or not, sub-second or not, the overhead) can be
 * compared directly.
 */
public final class SeedClaims {
    /** One row of the seed's table. */
    public record Claim(String approach, String downtime, String rollback, String overhead) {
    }

    private static final Map<String, Claim> BY_STRATEGY = Map.of(
        "recreate", new Claim("Traditional", "5-10 min", "10-15 min", "none"),
        "rolling", new Claim("Rolling Update", "0 s", "5-7 min", "+30%"),
        "blue-green", new Claim("Blue-Green", "0 s", "< 1 s", "+100%"),
        "canary", new Claim("Canary", "0 s", "< 1 min", "+10%"));

    private SeedClaims() {
    }

    /** @return the seed's claim for a strategy, or null when the seed table has none */
    public static Claim of(String strategy) {
        return BY_STRATEGY.get(strategy);
    }
}
