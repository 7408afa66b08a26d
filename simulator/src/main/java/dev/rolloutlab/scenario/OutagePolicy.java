package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What counts as downtime: a run of at least {@code minFailures} consecutive failed requests (default 5), so that
 * scattered errors show as error rate, not as an outage.
 */
public record OutagePolicy(int minFailures) {
    static final OutagePolicy DEFAULT = new OutagePolicy(5);

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static OutagePolicy fromYaml(@JsonProperty("minFailures") Integer minFailures) {
        return minFailures != null ? new OutagePolicy(minFailures) : DEFAULT;
    }
}
