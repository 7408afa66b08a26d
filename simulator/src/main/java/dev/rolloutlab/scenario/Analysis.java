package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * Automatic rollback: every {@code interval} (default 1s) the rules are evaluated; a rule that breaches rolls the
 * rollout back.
 *
 * @param postPromotion how long the rules keep running after the promotion, as Argo Rollouts' background analysis
 *                      or Flagger's post-rollout checks do; a breach then undoes the release. Zero (the default)
 *                      ends the analysis at the promotion
 */
public record Analysis(Duration interval, List<Rule> rules, Duration postPromotion) {
    public Analysis {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @JsonCreator
    static Analysis fromYaml(@JsonProperty("interval") Duration interval, @JsonProperty("rules") List<Rule> rules,
                             @JsonProperty("postPromotion") Duration postPromotion) {
        return new Analysis(interval != null ? interval : Duration.ofSeconds(1), rules,
            postPromotion != null ? postPromotion : Duration.ZERO);
    }
}
