package dev.rolloutlab.reports;

import dev.rolloutlab.result.GateResult;
import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as a reader compares them in reports: whole numbers bare, others to four significant digits. */
public final class Numbers {
    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private Numbers() {
    }

    /** {@code 0}, {@code 60000}, {@code 1.52}, {@code 0.0021}: no exponent, no trailing zeros. */
    public static String plain(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return new BigDecimal(v).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** {@code min 0.9}, {@code max 0}, {@code min 5 max 10}. */
    static String bound(GateResult g) {
        String min = g.min() == null ? "" : "min " + plain(g.min());
        String max = g.max() == null ? "" : "max " + plain(g.max());
        return (min + " " + max).strip();
    }
}
