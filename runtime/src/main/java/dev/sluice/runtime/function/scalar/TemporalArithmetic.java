package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction.Implementation;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * {@code + - * /} with temporal operands, on the fixed representations (TIMESTAMP epoch millis,
 * DATE epoch days, INTERVAL millis). An INTERVAL is an exact number of milliseconds, so
 * {@code + INTERVAL '1' MONTH} adds the analyzer's fixed length; use TIMESTAMPADD for calendar
 * months. Following PostgreSQL where Flink has no rule: TIMESTAMP - TIMESTAMP is an INTERVAL,
 * DATE - DATE an INTEGER of days, and DATE ± INTERVAL a TIMESTAMP (Flink keeps DATE and drops the
 * time of day).
 */
final class TemporalArithmetic {
    private TemporalArithmetic() {
    }

    static Optional<SqlType> returnType(String op, SqlType a, SqlType b) {
        boolean tsA = Args.isTimestamp(a);
        boolean tsB = Args.isTimestamp(b);
        boolean dateA = a == ScalarType.DATE;
        boolean dateB = b == ScalarType.DATE;
        boolean ivA = a == ScalarType.INTERVAL;
        boolean ivB = b == ScalarType.INTERVAL;
        SqlType result = switch (op) {
            case "+" -> tsA && ivB ? a : ivA && tsB ? b
                    : dateA && Args.isExactInteger(b) || Args.isExactInteger(a) && dateB ? ScalarType.DATE
                    : dateA && ivB || ivA && dateB ? ScalarType.TIMESTAMP
                    : ivA && ivB ? ScalarType.INTERVAL : null;
            case "-" -> tsA && ivB ? a
                    : (tsA || dateA) && (tsB || dateB) && !(dateA && dateB) ? ScalarType.INTERVAL
                    : dateA && dateB ? ScalarType.INTEGER
                    : dateA && Args.isExactInteger(b) ? ScalarType.DATE
                    : dateA && ivB ? ScalarType.TIMESTAMP
                    : ivA && ivB ? ScalarType.INTERVAL : null;
            case "*" -> ivA && b.isNumeric() || a.isNumeric() && ivB ? ScalarType.INTERVAL : null;
            case "/" -> ivA && b.isNumeric() ? ScalarType.INTERVAL : null;
            default -> null;
        };
        return Optional.ofNullable(result);
    }

    static Implementation bind(String op, SqlType a, SqlType b) {
        if (op.equals("*")) {
            boolean intervalFirst = a == ScalarType.INTERVAL;
            SqlType factorType = intervalFirst ? b : a;
            return v -> scale((Long) v[intervalFirst ? 0 : 1], v[intervalFirst ? 1 : 0], factorType, false);
        }
        if (op.equals("/")) {
            return v -> scale((Long) v[0], v[1], b, true);
        }
        boolean plus = op.equals("+");
        if (a == ScalarType.DATE && b == ScalarType.DATE) {
            return v -> Numbers.toIntExact((long) (Integer) v[0] - (Integer) v[1], "DATE - DATE");
        }
        if (a == ScalarType.DATE && Args.isExactInteger(b) || Args.isExactInteger(a) && b == ScalarType.DATE) {
            int dateIndex = a == ScalarType.DATE ? 0 : 1;
            return v -> {
                long days = (Integer) v[dateIndex];
                long n = Numbers.toLong(v[1 - dateIndex]);
                return Numbers.toIntExact(plus ? days + n : days - n, "DATE arithmetic");
            };
        }
        // Everything else is millisecond arithmetic once DATEs are widened to midnight.
        boolean widenA = a == ScalarType.DATE;
        boolean widenB = b == ScalarType.DATE;
        return v -> {
            long x = widenA ? DateTimes.toTimestamp((Integer) v[0]) : (Long) v[0];
            long y = widenB ? DateTimes.toTimestamp((Integer) v[1]) : (Long) v[1];
            try {
                return plus ? Math.addExact(x, y) : Math.subtractExact(x, y);
            } catch (ArithmeticException e) {
                throw ArithmeticOperators.overflow("TIMESTAMP", x + " " + op + " " + y);
            }
        };
    }

    /** INTERVAL times or divided by a number, rounded HALF_UP to whole milliseconds. */
    private static long scale(long millis, Object factor, SqlType factorType, boolean divide) {
        BigDecimal f = factorType == ScalarType.DOUBLE ? BigDecimal.valueOf(Numbers.toDouble(factor)) : Numbers.toDecimal(factor);
        if (divide && f.signum() == 0) {
            throw new ArithmeticException("division by zero: INTERVAL " + millis + " ms / " + factor);
        }
        BigDecimal ms = BigDecimal.valueOf(millis);
        BigDecimal r = divide ? ms.divide(f, 0, RoundingMode.HALF_UP) : ms.multiply(f).setScale(0, RoundingMode.HALF_UP);
        try {
            return r.longValueExact();
        } catch (ArithmeticException e) {
            throw ArithmeticOperators.overflow("INTERVAL", millis + " ms " + (divide ? "/ " : "* ") + factor);
        }
    }
}
