package dev.rolloutlab.repeat;

import dev.rolloutlab.stats.MedianInterval;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One metric over the runs of a repeat.
 *
 * @param values     the metric in each run, in run order; null where it did not apply to that run
 * @param n          runs in which it had a value
 * @param median     the median of those; null when none had one (so are the interval's fields)
 * @param low        lower end of the median's order-statistic confidence interval
 * @param high       upper end
 * @param confidence the interval's actual coverage (below 0.95 with fewer than 6 values: then it is the range)
 */
public record MetricSummary(List<Double> values, int n, Double median, Double low, Double high, Double confidence) {
    public MetricSummary {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    static MetricSummary of(List<Double> values) {
        List<Double> present = values.stream().filter(Objects::nonNull).toList();
        if (present.isEmpty()) {
            return new MetricSummary(values, 0, null, null, null, null);
        }
        MedianInterval ci = MedianInterval.of(present);
        return new MetricSummary(values, ci.n(), ci.median(), ci.low(), ci.high(), ci.confidence());
    }

    /** The runs' values without the runs where the metric did not apply, for a test. */
    public List<Double> present() {
        return values.stream().filter(Objects::nonNull).toList();
    }
}
