package dev.rolloutlab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {
    @Test
    void separatedSamplesGiveTheSmallestPossibleP() {
        MannWhitney t = MannWhitney.test(List.of(1.0, 2.0, 3.0, 4.0), List.of(5.0, 6.0, 7.0, 8.0));

        assertThat(t.u()).isZero();
        assertThat(t.p()).isCloseTo(2 / 70.0, within(1e-12));
        assertThat(t.smallestP()).isCloseTo(2 / 70.0, within(1e-12));
        assertThat(t.significant(0.05)).isTrue();
    }

    @Test
    void threeRunsASideCanNeverReachFivePercent() {
        MannWhitney t = MannWhitney.test(List.of(1.0, 2.0, 3.0), List.of(10.0, 11.0, 12.0));

        assertThat(t.p()).isCloseTo(0.1, within(1e-12));
        assertThat(t.canReach(0.05)).isFalse();
        assertThat(MannWhitney.test(List.of(1.0), List.of(2.0)).smallestP()).isEqualTo(1.0);
    }

    @Test
    void equalValuesGiveOne() {
        assertThat(MannWhitney.test(List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0, 0.0)).p()).isEqualTo(1.0);
    }

    /** Against a brute-force count over every split of the pooled values, ties included. */
    @Test
    void exactPMatchesEnumerationWithTies() {
        List<Double> a = List.of(1.0, 2.0, 2.0, 3.0, 5.0);
        List<Double> b = List.of(2.0, 3.0, 4.0, 4.0, 6.0, 7.0);

        assertThat(MannWhitney.test(a, b).p()).isCloseTo(enumerated(a, b), within(1e-12));
        assertThat(MannWhitney.test(b, a).p()).isCloseTo(enumerated(a, b), within(1e-12));
    }

    @Test
    void normalApproximationAgreesWithTheExactDistributionAtSixtyValues() {
        Random random = new Random(7);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.add((double) Math.round(random.nextGaussian() * 4));
            b.add((double) Math.round(random.nextGaussian() * 4 + 2));
        }
        double exact = MannWhitney.test(a, b, true).p();
        double normal = MannWhitney.test(a, b, false).p();

        assertThat(exact).isBetween(1e-4, 0.2);
        assertThat(normal).isCloseTo(exact, within(0.1 * exact));
    }

    /** Two-sided p by listing every way to choose a.size() of the pooled values, rank sums by mid-rank. */
    private static double enumerated(List<Double> a, List<Double> b) {
        List<Double> pooled = new ArrayList<>(a);
        pooled.addAll(b);
        int n = pooled.size();
        double[] rank = new double[n];
        for (int i = 0; i < n; i++) {
            int less = 0;
            int equal = 0;
            for (double v : pooled) {
                less += v < pooled.get(i) ? 1 : 0;
                equal += v == pooled.get(i) ? 1 : 0;
            }
            rank[i] = less + (equal + 1) / 2.0;
        }
        double observed = 0;
        for (int i = 0; i < a.size(); i++) {
            observed += rank[i];
        }
        double mean = a.size() * (n + 1) / 2.0;
        int extreme = 0;
        int all = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != a.size()) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (mask >> i & 1) == 1 ? rank[i] : 0;
            }
            all++;
            extreme += Math.abs(sum - mean) >= Math.abs(observed - mean) - 1e-9 ? 1 : 0;
        }
        return extreme / (double) all;
    }
}
