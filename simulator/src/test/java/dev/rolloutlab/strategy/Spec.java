package dev.rolloutlab.strategy;

import dev.rolloutlab.scenario.BlueGreenSpec;
import dev.rolloutlab.scenario.CanarySpec;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.HotPatchSpec;
import dev.rolloutlab.scenario.IntOrPercent;
import dev.rolloutlab.scenario.RecreateSpec;
import dev.rolloutlab.scenario.RollingSpec;
import dev.rolloutlab.scenario.Step;
import dev.rolloutlab.scenario.StrategySpec;
import dev.rolloutlab.scenario.StrategyType;
import java.time.Duration;
import java.util.List;

/**
 * A scenario's {@code strategy} section with the scenario format's defaults, built the way a test reads best; a
 * setting its type does not take is left out of what it builds.
 */
final class Spec {
    /** The harness begins the rollout itself, at time 0. */
    private static final Duration START_AT = Duration.ZERO;
    private final StrategyType type;
    private String trafficRouting = "proxy";
    private List<Step> steps = List.of();
    private IntOrPercent maxSurge = IntOrPercent.parse("25%");
    private IntOrPercent maxUnavailable = IntOrPercent.parse("25%");
    private Duration progressDeadline = Duration.ofMinutes(10);
    private Duration previewFor = Duration.ZERO;
    private boolean autoPromote = true;
    private Duration scaleDownDelay = Duration.ofSeconds(30);
    private Duration abortScaleDownDelay = Duration.ofSeconds(30);
    private int cells = 1;
    private Duration bakeTime = Duration.ofSeconds(10);

    private Spec(StrategyType type) {
        this.type = type;
    }

    static Spec of(StrategyType type) {
        return new Spec(type);
    }

    static Step weight(int percent) {
        return new Step(percent, null, null);
    }

    static Step pause(String duration) {
        return new Step(null, Durations.parse(duration), null);
    }

    static Step analysis(String duration) {
        return new Step(null, null, Durations.parse(duration));
    }

    Spec trafficRouting(String routing) {
        trafficRouting = routing;
        return this;
    }

    Spec steps(Step... plan) {
        steps = List.of(plan);
        return this;
    }

    Spec surge(String surge, String unavailable) {
        maxSurge = IntOrPercent.parse(surge);
        maxUnavailable = IntOrPercent.parse(unavailable);
        return this;
    }

    Spec progressDeadline(String d) {
        progressDeadline = Durations.parse(d);
        return this;
    }

    Spec previewFor(String d) {
        previewFor = Durations.parse(d);
        return this;
    }

    Spec autoPromote(boolean on) {
        autoPromote = on;
        return this;
    }

    Spec scaleDownDelay(String d) {
        scaleDownDelay = Durations.parse(d);
        return this;
    }

    Spec abortScaleDownDelay(String d) {
        abortScaleDownDelay = Durations.parse(d);
        return this;
    }

    Spec cells(int count, String bake) {
        cells = count;
        bakeTime = Durations.parse(bake);
        return this;
    }

    int cells() {
        return cells;
    }

    StrategySpec build() {
        return switch (type) {
            case RECREATE -> new RecreateSpec(START_AT, trafficRouting, progressDeadline);
            case ROLLING -> new RollingSpec(START_AT, trafficRouting, progressDeadline, maxSurge, maxUnavailable);
            case HOT_PATCH -> new HotPatchSpec(START_AT, trafficRouting, progressDeadline, maxSurge, maxUnavailable);
            case BLUE_GREEN -> new BlueGreenSpec(START_AT, trafficRouting, progressDeadline, previewFor, autoPromote,
                scaleDownDelay);
            case CANARY -> new CanarySpec(START_AT, trafficRouting, progressDeadline, steps, abortScaleDownDelay);
            case CELL_BASED -> new CellBasedSpec(START_AT, trafficRouting, progressDeadline, cells, bakeTime);
        };
    }
}
