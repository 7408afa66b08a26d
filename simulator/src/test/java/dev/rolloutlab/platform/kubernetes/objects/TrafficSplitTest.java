package dev.rolloutlab.platform.kubernetes.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {
    @Test
    void canaryPercentRoundsButNeverStarvesEitherSide() {
        assertThat(TrafficSplit.canaryPercent(0)).isZero();
        assertThat(TrafficSplit.canaryPercent(0.004)).isEqualTo(1); // would round to 0: still some traffic
        assertThat(TrafficSplit.canaryPercent(0.014)).isEqualTo(1);
        assertThat(TrafficSplit.canaryPercent(0.016)).isEqualTo(2);
        assertThat(TrafficSplit.canaryPercent(0.5)).isEqualTo(50);
        assertThat(TrafficSplit.canaryPercent(0.996)).isEqualTo(99); // would round to 100: stable keeps some
        assertThat(TrafficSplit.canaryPercent(1)).isEqualTo(100);
    }

    @Test
    void canaryPercentRefusesSharesOutsideZeroToOne() {
        for (double share : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> TrafficSplit.canaryPercent(share)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
        }
    }

    @Test
    void servicesAreDerivedFromTheApp() {
        TrafficSplit split = new TrafficSplit("lab", "shop", "v1", "v2", null, null, null);
        assertThat(split.mainService()).isEqualTo("shop");
        assertThat(split.stableService()).isEqualTo("shop-stable");
        assertThat(split.canaryService()).isEqualTo("shop-canary");
        assertThat(split.labels()).isEmpty();
    }

    @Test
    void theGatewayDefaultsToTheSplitsNamespace() {
        assertThat(new TrafficSplit("lab", "shop", "v1", "v2", null, "public", null).gatewayNamespace())
            .isEqualTo("lab");
        assertThat(new TrafficSplit("lab", "shop", "v1", "v2", null, "public", "edge").gatewayNamespace())
            .isEqualTo("edge");
        assertThat(new TrafficSplit("lab", "shop", "v1", "v2", null, null, null).gatewayNamespace()).isNull();
    }

    @Test
    void labelsAreCopiedInOrder() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z", "1");
        labels.put("a", "2");
        TrafficSplit split = new TrafficSplit("lab", "shop", "v1", "v2", labels, null, null);
        labels.put("later", "3");
        assertThat(split.labels().keySet()).containsExactly("z", "a");
    }
}
