package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Where PERCENTILE_CONT and PERCENTILE_DISC read the sorted values, and how CONT interpolates:
 * one definition for the multiset kept in an accumulator and for the one kept in a store (where
 * the values are reached through a cursor rather than by index).
 *
 * <ul>
 *   <li>CONT: 0-based position {@code p * (n - 1)}, computed in decimal from the literal (0.95 is
 *       exactly 0.95), interpolated linearly between the values at its floor and the next one.</li>
 *   <li>DISC: the value at 1-based position {@code max(1, ceil(p * n))}.</li>
 * </ul>
 */
public final class PercentileRank {
    private PercentileRank() {
    }

    /** The constant fraction p of {@code PERCENTILE_CONT/DISC(x, p)} (its second argument). */
    public static BigDecimal fraction(String function, List<Expr> arguments) {
        return ArgumentChecks.constantFraction(function, arguments, 1);
    }

    /** The 0-based position of the (lower) value the percentile reads among {@code n > 0} values. */
    public static long position(BigDecimal fraction, boolean continuous, long n) {
        if (continuous) {
            return fraction.multiply(BigDecimal.valueOf(n - 1)).setScale(0, RoundingMode.FLOOR).longValueExact();
        }
        long rowNumber = fraction.multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).longValueExact();
        return Math.max(1, rowNumber) - 1;
    }

    /**
     * The percentile of {@code n > 0} values; {@code valueAt} gives the value at a 0-based position
     * of the sorted values with repetitions (asked for {@link #position} and, for CONT, the next one).
     */
    public static Object result(BigDecimal fraction, boolean continuous, long n, LongFunction<Object> valueAt) {
        long lower = position(fraction, continuous, n);
        if (!continuous) {
            return valueAt.apply(lower);
        }
        BigDecimal exact = fraction.multiply(BigDecimal.valueOf(n - 1));
        double proportion = exact.subtract(BigDecimal.valueOf(lower)).doubleValue();
        double low = ((Number) valueAt.apply(lower)).doubleValue();
        if (proportion == 0) {
            return low;
        }
        double high = ((Number) valueAt.apply(lower + 1)).doubleValue();
        return low + (high - low) * proportion;
    }
}
