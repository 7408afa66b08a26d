package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * Automatic rollback: every {@code interval} (default 1s) the rules are evaluated; a rule that breaches rolls the
 * rollout back.
 */
public record Analysis(Duration interval, List<Rule> rules) {
    public Analysis {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @JsonCreator
    static Analysis fromYaml(@JsonProperty("interval") Duration interval, @JsonProperty("rules") List<Rule> rules) {
        return new Analysis(interval != null ? interval : Duration.ofSeconds(1), rules);
    }
}
