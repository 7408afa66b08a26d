package dev.rolloutlab.strategy;

import dev.rolloutlab.scenario.BlueGreenSpec;
import dev.rolloutlab.scenario.CanarySpec;
import dev.rolloutlab.scenario.CellBasedSpec;
import dev.rolloutlab.scenario.HotPatchSpec;
import dev.rolloutlab.scenario.RollingSpec;
import dev.rolloutlab.scenario.StrategySpec;

/** The strategy a scenario's {@code strategy.type} names, given the settings of that type. */
public final class Strategies {
    private Strategies() {
    }

    /** Each spec record answers its own type, so each cast below is to the record the type binds to. */
    public static Strategy create(Rollout rollout) {
        StrategySpec spec = rollout.spec();
        return switch (spec.type()) {
            case RECREATE -> new Recreate(rollout);
            case ROLLING -> new Rolling(rollout, (RollingSpec) spec);
            case HOT_PATCH -> new HotPatch(rollout, (HotPatchSpec) spec);
            case BLUE_GREEN -> new BlueGreen(rollout, (BlueGreenSpec) spec);
            case CANARY -> new Canary(rollout, (CanarySpec) spec);
            case CELL_BASED -> new CellBased(rollout, (CellBasedSpec) spec);
        };
    }
}
