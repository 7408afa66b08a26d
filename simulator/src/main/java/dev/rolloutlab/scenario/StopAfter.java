package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code load.stopAfter}: ends the load {@code delay} after the rollout's result is decided, instead of idling to
 * {@code load.duration} (which stays the longest the load runs). Decided means: the rollback decision, the rollout's
 * failure, or its promotion, once no scripted rollback is still to come and the post-promotion analysis window
 * ({@code analysis.postPromotion}) has passed without a breach. Written {@code stopAfter: rollout} (the default delay)
 * or {@code stopAfter: {rollout: 10s}}.
 *
 * @param delay how long the load goes on after the decision: long enough to see traffic restored (a full second of
 *              traffic on the stable version must lie inside the run) and what follows it
 */
public record StopAfter(Duration delay) {
    /** Time for the rollback's switch to reach the proxy and for a clean second after it, with room to spare. */
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
    /** The shortest delay: traffic restored needs one full second of traffic inside the run after the decision. */
    public static final Duration MIN_DELAY = Duration.ofSeconds(2);
    static final String ROLLOUT = "rollout";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static StopAfter of(String word) {
        if (!ROLLOUT.equals(word)) {
            throw new IllegalArgumentException("expected rollout or {rollout: DURATION}, got \"" + word + "\"");
        }
        return new StopAfter(DEFAULT_DELAY);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static StopAfter fromYaml(@JsonProperty(ROLLOUT) Duration delay) {
        return new StopAfter(delay != null ? delay : DEFAULT_DELAY);
    }
}
