package dev.rolloutlab.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategiesTest {
    @ParameterizedTest
    @CsvSource({"recreate,Recreate", "rolling,Rolling", "hot-patch,HotPatch", "blue-green,BlueGreen",
        "canary,Canary", "cell-based,CellBased"})
    void theScenarioTypeNamesTheStrategy(String type, String strategy) {
        Harness h = new Harness(3, Spec.of(type));

        assertThat(Strategies.create(h.rollout).getClass().getSimpleName()).isEqualTo(strategy);
    }
}
