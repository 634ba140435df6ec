package dev.sluice.runtime.function.scalar;

import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Conversions between the Java representations of SQL numbers, and the overflow checks SQL needs
 * but Java arithmetic skips. Inputs are read through {@link Number} so that an INTEGER slot holding
 * a Long (or the reverse) still works; outputs always follow {@link SqlType}'s representation.
 */
final class Numbers {
    /** Flink divides DECIMALs to 38 significant digits first, then rounds to the result scale. */
    static final MathContext DIVIDE_CONTEXT = new MathContext(38, RoundingMode.HALF_UP);

    private Numbers() {
    }

    static long toLong(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal d) {
            return d.setScale(0, RoundingMode.DOWN).longValueExact();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) v).longValue();
    }

    static double toDouble(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) v).doubleValue();
    }

    static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ArithmeticException("cannot convert " + d + " to DECIMAL");
            }
            // Double.toString's shortest representation, as Flink does (0.1 stays 0.1).
            return BigDecimal.valueOf(d);
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    /** Rounds HALF_UP to the type's scale; a value with too many integer digits is an error. */
    static BigDecimal fit(BigDecimal v, DecimalType type) {
        BigDecimal scaled = v.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() > type.precision() && scaled.signum() != 0) {
            throw new ArithmeticException("numeric overflow: " + v.toPlainString() + " does not fit "
                    + type.sql());
        }
        return scaled;
    }

    static int toIntExact(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ArithmeticException("INTEGER overflow: " + what + " = " + v
                    + " is outside [-2147483648, 2147483647]");
        }
        return (int) v;
    }

    /** Boxes a long result in the representation of an exact integer type. */
    static Object boxExact(long v, SqlType type, String what) {
        return type == ScalarType.INTEGER ? (Object) toIntExact(v, what) : (Object) v;
    }

    /** Converts any numeric value to the representation of {@code type}, rounding like CAST. */
    static Object convert(Object v, SqlType type) {
        if (type == ScalarType.DOUBLE) {
            return toDouble(v);
        }
        if (type instanceof DecimalType d) {
            return fit(toDecimal(v), d);
        }
        if (type == ScalarType.BIGINT) {
            return integral(v, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
        }
        if (type == ScalarType.INTEGER) {
            return (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
        }
        throw new IllegalStateException("not a numeric type: " + type.sql());
    }

    /** Truncates toward zero like Flink's CAST; out-of-range values are an error, not a wrap. */
    private static long integral(Object v, long min, long max, String typeName) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || d < (double) min || d >= -(double) min) {
                throw new ArithmeticException(typeName + " overflow: " + d + " is out of range");
            }
            return checkRange((long) d, min, max, typeName, v);
        }
        if (v instanceof BigDecimal b) {
            BigDecimal t = b.setScale(0, RoundingMode.DOWN);
            if (t.compareTo(BigDecimal.valueOf(min)) < 0 || t.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw new ArithmeticException(typeName + " overflow: " + b.toPlainString() + " is out of range");
            }
            return t.longValue();
        }
        return checkRange(toLong(v), min, max, typeName, v);
    }

    private static long checkRange(long v, long min, long max, String typeName, Object original) {
        if (v < min || v > max) {
            throw new ArithmeticException(typeName + " overflow: " + original + " is out of range");
        }
        return v;
    }
}
