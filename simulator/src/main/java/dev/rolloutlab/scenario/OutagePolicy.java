package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rolloutlab.measure.Recorder;

/**
 * What counts as downtime: a run of at least {@code minFailures} consecutive failed requests (default 5) that is too
 * long to be chance, i.e. p^k &lt; {@code chance} (default 1e-9) for a run of k failures amid a failure ratio p
 * around it, so that scattered errors show as error rate, not as an outage.
 */
public record OutagePolicy(int minFailures, double chance) {
    public static final OutagePolicy DEFAULT = new OutagePolicy(5, Recorder.DEFAULT_OUTAGE_CHANCE);

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static OutagePolicy fromYaml(@JsonProperty("minFailures") Integer minFailures,
                                 @JsonProperty("chance") Double chance) {
        return new OutagePolicy(minFailures != null ? minFailures : DEFAULT.minFailures(),
            chance != null ? chance : DEFAULT.chance());
    }
}
