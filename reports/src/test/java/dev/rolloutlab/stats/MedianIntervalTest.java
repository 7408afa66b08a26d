package dev.rolloutlab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MedianIntervalTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(MedianInterval.of(List.of(5.0, 1.0, 3.0)).median()).isEqualTo(3.0);
        assertThat(MedianInterval.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
        assertThatThrownBy(() -> MedianInterval.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderStatisticsWithTheirBinomialCoverage() {
        List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);

        MedianInterval ci = MedianInterval.of(ten);

        // k = 2: 1 − 2·(1 + 10)/1024 = 0.9785 ≥ 0.95; k = 3 would cover 1 − 2·56/1024 = 0.89.
        assertThat(ci).isEqualTo(new MedianInterval(5.5, 2.0, 9.0, 1 - 2 * 11 / 1024.0, 10));
    }

    @Test
    void tooFewRunsForTheLevelGiveTheRangeAndSayWhatItCovers() {
        assertThat(MedianInterval.of(List.of(3.0, 1.0, 2.0, 5.0, 4.0)))
            .isEqualTo(new MedianInterval(3.0, 1.0, 5.0, 0.9375, 5));
        assertThat(MedianInterval.of(List.of(2.0, 1.0, 3.0)).confidence()).isEqualTo(0.75);
        assertThat(MedianInterval.of(List.of(2.0, 1.0)).confidence()).isEqualTo(0.5);
        assertThat(MedianInterval.of(List.of(7.0))).isEqualTo(new MedianInterval(7.0, 7.0, 7.0, 0, 1));
    }

    /** The stated coverage is what the interval achieves: 20,000 samples of 9 runs of a skewed distribution. */
    @Test
    void coversTheTrueMedianAsOftenAsItSays() {
        Random random = new Random(42);
        double trueMedian = Math.log(2);   // exponential with rate 1
        int covered = 0;
        int trials = 20_000;
        double stated = 0;
        for (int t = 0; t < trials; t++) {
            List<Double> runs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                runs.add(-Math.log(1 - random.nextDouble()));
            }
            MedianInterval ci = MedianInterval.of(runs);
            stated = ci.confidence();
            covered += ci.low() <= trueMedian && trueMedian <= ci.high() ? 1 : 0;
        }
        // n = 9: k = 2, 1 − 2·(1 + 9)/512 = 0.9609; 3 binomial standard errors of 20,000 trials is ±0.0041.
        assertThat(stated).isCloseTo(0.9609, within(1e-4));
        assertThat(covered / (double) trials).isCloseTo(stated, within(0.0041));
    }
}
