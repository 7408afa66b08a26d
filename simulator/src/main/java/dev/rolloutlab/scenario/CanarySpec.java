package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code strategy.type: canary}, Argo Rollouts' canary: the keys every type takes ({@link StrategySpec}) and these.
 *
 * @param steps               the step plan; empty goes straight to 100%
 * @param abortScaleDownDelay how long the candidate stays up after an abort (default 30s)
 */
public record CanarySpec(Duration startAt, String trafficRouting, Duration progressDeadline, List<Step> steps,
                         Duration abortScaleDownDelay) implements StrategySpec {
    public CanarySpec {
        steps = List.copyOf(steps);
    }

    @JsonCreator
    static CanarySpec fromYaml(@JsonProperty("startAt") Duration startAt,
                               @JsonProperty("trafficRouting") String trafficRouting,
                               @JsonProperty("progressDeadline") Duration progressDeadline,
                               @JsonProperty("steps") List<Step> steps,
                               @JsonProperty("abortScaleDownDelay") Duration abortScaleDownDelay) {
        return new CanarySpec(startAt != null ? startAt : DEFAULT_START_AT, trafficRouting,
            progressDeadline != null ? progressDeadline : DEFAULT_PROGRESS_DEADLINE, steps != null ? steps : List.of(),
            abortScaleDownDelay != null ? abortScaleDownDelay : Duration.ofSeconds(30));
    }

    @Override
    public StrategyType type() {
        return StrategyType.CANARY;
    }

    @Override
    public CanarySpec withTrafficRouting(String routing) {
        return new CanarySpec(startAt, routing, progressDeadline, steps, abortScaleDownDelay);
    }

    /** Each step does one thing, with a weight that is a percentage; an analysis step needs rules to judge by. */
    @Override
    public void check(Scenario scenario, KeyPath at, Problems problems) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            KeyPath sp = at.child("steps").child(i);
            if (Stream.of(step.setWeight(), step.pause(), step.analysis()).filter(Objects::nonNull).count() != 1) {
                problems.error(sp, "a step is exactly one of setWeight, pause or analysis, e.g. {setWeight: 10}");
                continue;
            }
            if (step.setWeight() != null && (step.setWeight() < 0 || step.setWeight() > 100)) {
                problems.error(sp.child("setWeight"), step.setWeight()
                    + " is outside 0..100 (percent of traffic to the candidate)");
            }
            problems.positive(sp.child("pause"), step.pause());
            if (step.analysis() != null && problems.positive(sp.child("analysis"), step.analysis())
                && (scenario.analysis() == null || scenario.analysis().rules().isEmpty())) {
                problems.error(sp.child("analysis"), "an analysis step needs analysis.rules to judge the candidate by");
            }
        }
    }
}
