package dev.rolloutlab.engine;

import dev.rolloutlab.measure.Outcome;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.result.Gate;
import dev.rolloutlab.result.GateMetrics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The gates with {@code abortOnFail}, judged while the run goes on (as k6's thresholds with {@code abortOnFail}), so
 * that a release already known to fail its gate does not hurt users for the rest of the load. Each is judged against
 * its {@code max} from what the recorder measured so far: the requests completed so far (errorRate,
 * failedRequests), the outages that have ended (a second after their end, when the recorder decides them), and the
 * latency of the seconds summarised so far. Judged from the first second of load on, every
 * {@link #PERIOD_MILLIS} ms.
 */
final class LiveGates {
    static final long PERIOD_MILLIS = 250;
    /** Too few requests to judge a share or a percentile before this. */
    private static final double FIRST_JUDGED_SECONDS = 1.0;
    private static final Map<String, Function<Recorder, Double>> SO_FAR = new LinkedHashMap<>();

    static {
        SO_FAR.put("failedRequests", r -> (double) failed(r.outcomeTotals()));
        SO_FAR.put("errorRate", r -> {
            Map<Outcome, Long> outcomes = r.outcomeTotals();
            long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
            return total == 0 ? null : failed(outcomes) / (double) total;
        });
        SO_FAR.put("downtimeSeconds", r -> r.downtimeNanos() / 1e9);
        SO_FAR.put("longestOutageSeconds", r -> r.longestOutageNanos() / 1e9);
        SO_FAR.put("latencyP50Ms", r -> percentile(r.latency(), 50));
        SO_FAR.put("latencyP90Ms", r -> percentile(r.latency(), 90));
        SO_FAR.put("latencyP95Ms", r -> percentile(r.latency(), 95));
        SO_FAR.put("latencyP99Ms", r -> percentile(r.latency(), 99));
        SO_FAR.put("latencyP999Ms", r -> percentile(r.latency(), 99.9));
        SO_FAR.put("latencyMaxMs", r -> percentile(r.latency(), 100));
    }

    /** The gate that stopped the run: its metric's value so far and when. */
    record Breach(String metric, double actual, double max, double atSeconds) {
        String reason() {
            return String.format(Locale.ROOT, "abortOnFail: stopped the run at %.3f s, when %s so far was %s > max %s",
                atSeconds, metric, plain(actual), plain(max));
        }

        /** As a gate's bound is written: four significant digits, no exponent, no trailing zeros. */
        private static String plain(double v) {
            return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
    }

    private final Map<String, Gate> gates = new LinkedHashMap<>();

    /** The gates of {@code all} that abort on a breach; the validator lets only live metrics with a max have one. */
    LiveGates(Map<String, Gate> all) {
        all.forEach((metric, gate) -> {
            if (gate.abortOnFail()) {
                gates.put(metric, gate);
            }
        });
    }

    boolean isEmpty() {
        return gates.isEmpty();
    }

    /** The metrics this judges while running: the same as {@link GateMetrics#live()}, which the validator checks. */
    static Set<String> judged() {
        return SO_FAR.keySet();
    }

    /** @return the first gate whose metric so far exceeds its max, in the scenario's order; empty when none does */
    Optional<Breach> check(Recorder recorder, double nowSeconds) {
        if (nowSeconds < FIRST_JUDGED_SECONDS) {
            return Optional.empty();
        }
        for (Map.Entry<String, Gate> e : gates.entrySet()) {
            Double soFar = SO_FAR.get(e.getKey()).apply(recorder);
            Double max = e.getValue().max();
            if (soFar != null && soFar > max) {
                return Optional.of(new Breach(e.getKey(), soFar, max, nowSeconds));
            }
        }
        return Optional.empty();
    }

    private static long failed(Map<Outcome, Long> outcomes) {
        return outcomes.entrySet().stream().filter(o -> o.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
    }

    /** The percentile, in ms, of a histogram in microseconds; null before any request succeeded. */
    private static Double percentile(Histogram micros, double percentile) {
        if (micros.getTotalCount() == 0) {
            return null;
        }
        return (percentile == 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile)) / 1000.0;
    }
}
