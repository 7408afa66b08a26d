package dev.rolloutlab.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples: does one tend to give larger values than
 * the other? It needs no assumption on the distributions' shape, which suits run metrics (skewed, with ties such as
 * a downtime of 0 in every run). The two-sided p-value is exact: the distribution of the rank sum over every way
 * of splitting the pooled values, ties given their mid-ranks, counted by dynamic programming (up to
 * {@value #EXACT_UP_TO} values; beyond, the normal approximation with tie and continuity corrections).
 *
 * @param p         two-sided p-value; 1 when every value is equal
 * @param smallestP the smallest p any data of these sizes can give, 2 / C(n1 + n2, n1): when it is not below the
 *                  significance level, no difference can be shown with so few runs
 */
public record MannWhitney(int n1, int n2, double u, double p, double smallestP) {
    static final int EXACT_UP_TO = 60;

    /** @throws IllegalArgumentException when a sample is empty */
    public static MannWhitney test(List<Double> first, List<Double> second) {
        return test(first, second, first.size() + second.size() <= EXACT_UP_TO);
    }

    /** @param exact the exact distribution, else the normal approximation (tests compare the two) */
    static MannWhitney test(List<Double> first, List<Double> second, boolean exact) {
        int n1 = first.size();
        int n2 = second.size();
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("a sample is empty");
        }
        int n = n1 + n2;
        List<double[]> pooled = new ArrayList<>();
        first.forEach(v -> pooled.add(new double[] {v, 0}));
        second.forEach(v -> pooled.add(new double[] {v, 1}));
        pooled.sort((a, b) -> Double.compare(a[0], b[0]));
        // Doubled mid-ranks are integers: 2·rank of a tie group spanning ranks i+1..j is i + j + 1.
        int[] doubledRank = new int[n];
        int doubledSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && pooled.get(j)[0] == pooled.get(i)[0]) {
                j++;
            }
            for (int t = i; t < j; t++) {
                doubledRank[t] = i + j + 1;
                if (pooled.get(t)[1] == 0) {
                    doubledSum += i + j + 1;
                }
            }
            i = j;
        }
        double u = doubledSum / 2.0 - n1 * (n1 + 1) / 2.0;
        double p = exact ? exactP(doubledRank, n1, doubledSum) : normalP(doubledRank, n1, n2, doubledSum);
        return new MannWhitney(n1, n2, u, Math.min(1, p), smallestP(n1, n2));
    }

    /** 2 / C(n1 + n2, n1): the p of two samples apart with no overlap, the smallest any data can give. */
    public static double smallestP(int n1, int n2) {
        return Math.min(1, 2 / binomial(n1 + n2, n1));
    }

    /** Whether the difference is significant at {@code alpha}. */
    public boolean significant(double alpha) {
        return p < alpha;
    }

    /** Whether samples of these sizes could ever show a difference at {@code alpha}. */
    public boolean canReach(double alpha) {
        return smallestP < alpha;
    }

    /** P(|S − E S| ≥ |observed − E S|) over all C(n, n1) equally likely choices of the first sample's ranks. */
    private static double exactP(int[] doubledRank, int n1, int observed) {
        int max = 0;
        for (int r : doubledRank) {
            max += r;
        }
        // ways[k][s]: ways to choose k of the values seen so far with doubled rank sum s (as a share of all choices).
        double[][] ways = new double[n1 + 1][max + 1];
        ways[0][0] = 1;
        for (int r : doubledRank) {
            for (int k = n1; k >= 1; k--) {
                for (int s = max; s >= r; s--) {
                    ways[k][s] += ways[k - 1][s - r];
                }
            }
        }
        double total = 0;
        for (double w : ways[n1]) {
            total += w;
        }
        // E S = n1 (n + 1), doubled; compare in doubled units, all integers.
        double mean = n1 * (doubledRank.length + 1);
        double distance = Math.abs(observed - mean);
        double extreme = 0;
        for (int s = 0; s <= max; s++) {
            if (Math.abs(s - mean) >= distance - 1e-9) {
                extreme += ways[n1][s];
            }
        }
        return extreme / total;
    }

    private static double normalP(int[] doubledRank, int n1, int n2, int doubledSum) {
        int n = n1 + n2;
        double mean = n1 * (n + 1) / 2.0;
        double tieTerm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && doubledRank[j] == doubledRank[i]) {
                j++;
            }
            double t = j - i;
            tieTerm += t * t * t - t;
            i = j;
        }
        double variance = n1 * n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (variance <= 0) {
            return 1;
        }
        double z = Math.max(0, Math.abs(doubledSum / 2.0 - mean) - 0.5) / Math.sqrt(variance);
        return 2 * (1 - standardNormal(z));
    }

    /** Φ(z), by the Abramowitz–Stegun 7.1.26 erf approximation (error below 1.5e-7). */
    private static double standardNormal(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
            + t * 1.061405429)))) * Math.exp(-x * x);
        return 0.5 * (1 + erf);
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
