package dev.rolloutlab.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median of repeated measurements with a distribution-free confidence interval: the order-statistic interval
 * [x<sub>(k)</sub>, x<sub>(n+1−k)</sub>] of the sorted values, with the largest k whose coverage
 * 1 − 2·P(B ≤ k − 1), B ~ Binomial(n, ½), is at least the level asked for. It assumes nothing about the shape of
 * the distribution (latencies of a shared runner are skewed and heavy-tailed), only independent runs. With too few
 * runs for the level (fewer than 6 at 95 %) the interval is the whole range and {@code confidence} says what it
 * covers (2 runs: 50 %, 3: 75 %, 4: 87.5 %, 5: 93.75 %).
 *
 * @param n          values measured (runs where the metric had a value)
 * @param confidence the interval's actual coverage, at least the level asked for when n allows it
 */
public record MedianInterval(double median, double low, double high, double confidence, int n) {
    public static final double LEVEL = 0.95;

    /** @throws IllegalArgumentException for no values */
    public static MedianInterval of(List<Double> values) {
        return of(values, LEVEL);
    }

    public static MedianInterval of(List<Double> values, double level) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        int k = 1;
        while (k + 1 <= (n + 1) / 2 && coverage(n, k + 1) >= level) {
            k++;
        }
        return new MedianInterval(median, sorted.get(k - 1), sorted.get(n - k), coverage(n, k), n);
    }

    /** P(x<sub>(k)</sub> ≤ median ≤ x<sub>(n+1−k)</sub>) = 1 − 2·P(B ≤ k − 1). */
    static double coverage(int n, int k) {
        double tail = 0;
        for (int i = 0; i < k; i++) {
            tail += binomialHalf(n, i);
        }
        return Math.max(0, 1 - 2 * tail);
    }

    /** P(B = i) for B ~ Binomial(n, ½), in logarithms so that large n does not overflow. */
    private static double binomialHalf(int n, int i) {
        double log = -n * Math.log(2);
        for (int j = 1; j <= i; j++) {
            log += Math.log(n - i + j) - Math.log(j);
        }
        return Math.exp(log);
    }
}
