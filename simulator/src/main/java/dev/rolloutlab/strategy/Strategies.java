package dev.rolloutlab.strategy;

/** The strategy a scenario's {@code strategy.type} names. */
public final class Strategies {
    private Strategies() {
    }

    /** @throws IllegalArgumentException for a type the scenario validator would have rejected */
    public static Strategy create(Rollout rollout) {
        String type = rollout.spec().type();
        return switch (type) {
            case "recreate" -> new Recreate(rollout);
            case "rolling" -> new Rolling(rollout);
            case "hot-patch" -> new HotPatch(rollout);
            case "blue-green" -> new BlueGreen(rollout);
            case "canary" -> new Canary(rollout);
            case "cell-based" -> new CellBased(rollout);
            default -> throw new IllegalArgumentException("unknown strategy type " + type);
        };
    }
}
