package dev.rolloutlab.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.scenario.StrategyType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategiesTest {
    @ParameterizedTest
    @CsvSource({"RECREATE,Recreate", "ROLLING,Rolling", "HOT_PATCH,HotPatch", "BLUE_GREEN,BlueGreen",
        "CANARY,Canary", "CELL_BASED,CellBased"})
    void theScenarioTypeNamesTheStrategy(StrategyType type, String strategy) {
        Harness h = new Harness(3, Spec.of(type));

        assertThat(Strategies.create(h.rollout).getClass().getSimpleName()).isEqualTo(strategy);
    }
}
