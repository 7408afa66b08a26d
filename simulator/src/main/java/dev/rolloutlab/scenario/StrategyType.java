package dev.rolloutlab.scenario;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The strategies a scenario's {@code strategy.type} names, each with the record its settings bind to. */
public enum StrategyType {
    RECREATE("recreate", RecreateSpec.class),
    ROLLING("rolling", RollingSpec.class),
    BLUE_GREEN("blue-green", BlueGreenSpec.class),
    CANARY("canary", CanarySpec.class),
    HOT_PATCH("hot-patch", HotPatchSpec.class),
    CELL_BASED("cell-based", CellBasedSpec.class);

    private final String yamlName;
    private final Class<? extends StrategySpec> spec;

    StrategyType(String yamlName, Class<? extends StrategySpec> spec) {
        this.yamlName = yamlName;
        this.spec = spec;
    }

    /** The name scenario files use, e.g. {@code blue-green}; also the run's strategy in result.json. */
    public String yamlName() {
        return yamlName;
    }

    /** The record a strategy section of this type binds to. */
    Class<? extends StrategySpec> spec() {
        return spec;
    }

    /** @throws IllegalArgumentException naming the known types */
    public static StrategyType fromYaml(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown strategy type \"" + name + "\" " + known()));
    }

    /** {@code (known: recreate, rolling, ...)}, for a message about a missing or unknown type. */
    static String known() {
        return Arrays.stream(values()).map(StrategyType::yamlName).collect(Collectors.joining(", ", "(known: ", ")"));
    }
}
