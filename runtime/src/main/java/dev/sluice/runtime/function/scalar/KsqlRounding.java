package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * ksqlDB's ROUND and TRUNC, which differ from the built-in ones in type and in ties (see
 * {@link KsqlScalarMeanings}):
 * <ul>
 *   <li>{@code ROUND(DOUBLE)} and {@code TRUNC(DOUBLE)} are BIGINT; ROUND's ties go up, toward
 *       positive infinity ({@code ROUND(-1.5)} is -1, Java's {@code Math.round});</li>
 *   <li>{@code ROUND(DOUBLE, d)} and {@code TRUNC(DOUBLE, d)} stay DOUBLE, rounded on the double's
 *       shortest decimal form, ties again toward positive infinity;</li>
 *   <li>{@code ROUND(DECIMAL(p, s))} is {@code DECIMAL(p - s, 0)}; with digits d it keeps
 *       {@code DECIMAL(p, s)}, the rounded value padded back to scale s (d may be negative:
 *       {@code ROUND(123.4, -1)} is 120.0);</li>
 *   <li>{@code TRUNC(INTEGER)} is BIGINT; an INTEGER or BIGINT keeps its value.</li>
 * </ul>
 * Other argument types (an integer with digits) keep the built-in meaning.
 */
final class KsqlRounding {
    private KsqlRounding() {
    }

    static List<ScalarFunction> all() {
        return List.of(function("ROUND", false), function("TRUNC", true));
    }

    private static Fn function(String name, boolean truncate) {
        ScalarFunction builtIn = ScalarFunctionRegistry.standard().lookup(truncate ? "TRUNCATE" : "ROUND").orElseThrow();
        return Fn.of(name, args -> {
            Sig.check(name, args, "NUMERIC", "[INTEGER]");
            SqlType t = args.get(0).type();
            boolean digits = args.size() == 2;
            if (t instanceof DecimalType d) {
                return digits ? d : new DecimalType(Math.max(1, d.precision() - d.scale()), 0);
            }
            if (isFloating(t)) {
                return digits ? ScalarType.DOUBLE : ScalarType.BIGINT;
            }
            if (!digits && (t == ScalarType.INTEGER || t == ScalarType.BIGINT)) {
                return truncate ? ScalarType.BIGINT : t;
            }
            return builtIn.returnType(args);
        }, (args, type) -> {
            SqlType t = args.get(0).type();
            boolean digits = args.size() == 2;
            if (t instanceof DecimalType d) {
                return digits
                        ? a -> round(Numbers.toDecimal(a[0]), digits(a), truncate).setScale(d.scale(), RoundingMode.UNNECESSARY)
                        : a -> Numbers.fit(round(Numbers.toDecimal(a[0]), 0, truncate), (DecimalType) type);
            }
            if (isFloating(t)) {
                if (digits) {
                    return a -> {
                        double x = Numbers.toDouble(a[0]);
                        return Double.isFinite(x) ? round(BigDecimal.valueOf(x), digits(a), truncate).doubleValue() : x;
                    };
                }
                return truncate ? a -> (long) Numbers.toDouble(a[0]) : a -> Math.round(Numbers.toDouble(a[0]));
            }
            if (!digits && (t == ScalarType.INTEGER || t == ScalarType.BIGINT)) {
                return type == ScalarType.BIGINT ? a -> Numbers.toLong(a[0]) : a -> a[0];
            }
            return builtIn.implement(args, type);
        });
    }

    private static boolean isFloating(SqlType t) {
        return t == ScalarType.DOUBLE || t == ScalarType.NULL;
    }

    private static int digits(Object[] a) {
        return Math.toIntExact(Numbers.toLong(a[1]));
    }

    /** ksqlDB's rounding: TRUNC toward zero; ROUND to the nearest, a tie toward positive infinity. */
    static BigDecimal round(BigDecimal value, int digits, boolean truncate) {
        RoundingMode mode = truncate ? RoundingMode.DOWN
                : value.signum() > 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_DOWN;
        return value.setScale(digits, mode);
    }
}
