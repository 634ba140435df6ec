package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Literal typing as in Flink SQL: {@code 42} is INTEGER (BIGINT when it does not fit),
 * {@code 1000.0} is DECIMAL(5, 1), {@code 1e3} is DOUBLE.
 */
final class Literals {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd[[ ]['T']HH:mm[:ss][.SSS][.SS][.S]]");

    private Literals() {
    }

    static Expr numeric(Expression.NumericLiteral n) {
        String text = n.text();
        if (text.contains("e") || text.contains("E")) {
            return new Expr.Literal(finite(n, Double.parseDouble(text)), ScalarType.DOUBLE);
        }
        if (text.contains(".")) {
            BigDecimal d = new BigDecimal(text);
            int scale = Math.max(d.scale(), 0);
            int precision = Math.max(d.precision(), scale);
            if (precision > DecimalType.MAX_PRECISION) {
                return new Expr.Literal(finite(n, d.doubleValue()), ScalarType.DOUBLE);
            }
            return new Expr.Literal(d, new DecimalType(Math.max(precision, 1), scale));
        }
        BigInteger i = new BigInteger(text);
        if (i.bitLength() < 32) {
            return new Expr.Literal(i.intValue(), ScalarType.INTEGER);
        }
        if (i.bitLength() < 64) {
            return new Expr.Literal(i.longValue(), ScalarType.BIGINT);
        }
        if (text.length() <= DecimalType.MAX_PRECISION) {
            return new Expr.Literal(new BigDecimal(i), new DecimalType(text.length(), 0));
        }
        throw new SqlException(n.location(), "number " + text + " is too large");
    }

    /**
     * A DOUBLE literal beyond the largest double (1e309) would silently become Infinity, which no
     * later step expects (a percentile or a DECIMAL cast of it failed with NumberFormatException).
     */
    private static double finite(Expression.NumericLiteral n, double value) {
        if (Double.isInfinite(value)) {
            throw new SqlException(n.location(), "number " + n.text() + " is out of range for DOUBLE (at most about "
                    + "1.8E308)");
        }
        return value;
    }

    static Expr negate(Expr.Literal l) {
        Object v = l.value();
        Object negated;
        if (v instanceof Integer i) {
            negated = -i;
        } else if (v instanceof Long x) {
            negated = -x;
        } else if (v instanceof Double d) {
            negated = -d;
        } else {
            negated = ((BigDecimal) v).negate();
        }
        return new Expr.Literal(negated, l.type());
    }

    static Expr typed(Expression.TypedLiteral t) {
        String type = t.type().toUpperCase(Locale.ROOT);
        try {
            if (type.startsWith("TIMESTAMP")) {
                LocalDateTime ts = LocalDateTime.parse(t.value().trim(), TIMESTAMP);
                return new Expr.Literal(ts.toInstant(ZoneOffset.UTC).toEpochMilli(), ScalarType.TIMESTAMP);
            }
            if (type.equals("DATE")) {
                return new Expr.Literal((int) LocalDate.parse(t.value().trim()).toEpochDay(), ScalarType.DATE);
            }
            if (type.equals("TIME")) {
                return new Expr.Literal((int) (LocalTime.parse(t.value().trim()).toNanoOfDay() / 1_000_000L), ScalarType.TIME);
            }
        } catch (DateTimeParseException e) {
            throw new SqlException(t.location(), "cannot read " + type + " '" + t.value() + "'",
                    type.equals("DATE") ? "write DATE 'yyyy-MM-dd'" : type.equals("TIME") ? "write TIME 'HH:mm:ss[.SSS]'"
                            : "write TIMESTAMP 'yyyy-MM-dd HH:mm:ss[.SSS]'");
        }
        throw new SqlException(t.location(), "not supported yet: " + type + " literals");
    }
}
