package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** Argument validation shared by the aggregates; every message names the function and the types. */
final class ArgumentChecks {
    private ArgumentChecks() {
    }

    static void arity(String function, List<Expr> arguments, int min, int max) {
        int n = arguments.size();
        if (n >= min && n <= max) {
            return;
        }
        String expected;
        if (min == max) {
            expected = min + (min == 1 ? " argument" : " arguments");
        } else if (max == Integer.MAX_VALUE) {
            expected = "at least " + min + (min == 1 ? " argument" : " arguments");
        } else {
            expected = min + " to " + max + " arguments";
        }
        throw new FunctionException(function + " expects " + expected + ", got " + n + describe(arguments));
    }

    static SqlType numeric(String function, List<Expr> arguments, int index) {
        SqlType t = arguments.get(index).type();
        if (!t.isNumeric()) {
            throw new FunctionException(function + " expects a numeric argument, got " + t.sql());
        }
        return t;
    }

    /** The return type of an aggregate of one numeric argument that always answers a DOUBLE (AVG, the variances). */
    static SqlType oneNumericToDouble(String function, List<Expr> arguments) {
        arity(function, arguments, 1, 1);
        numeric(function, arguments, 0);
        return ScalarType.DOUBLE;
    }

    static SqlType comparable(String function, List<Expr> arguments, int index, String role) {
        SqlType t = arguments.get(index).type();
        if (!ValueOrder.isComparable(t)) {
            throw new FunctionException(function + " expects " + role
                    + " of a comparable type (number, VARCHAR, BOOLEAN, DATE, TIMESTAMP, INTERVAL), got " + t.sql());
        }
        return t;
    }

    /** As {@link #comparable}, BYTES also allowed (MIN, MAX, TOPK, TOPKDISTINCT: ksqlDB orders bytes). */
    static SqlType comparableOrBytes(String function, List<Expr> arguments, int index, String role) {
        SqlType t = arguments.get(index).type();
        if (!ValueOrder.isComparableOrBytes(t)) {
            throw new FunctionException(function + " expects " + role
                    + " of a comparable type (number, VARCHAR, BOOLEAN, DATE, TIMESTAMP, INTERVAL, BYTES), got " + t.sql());
        }
        return t;
    }

    static void bool(String function, List<Expr> arguments, int index) {
        SqlType t = arguments.get(index).type();
        if (t != ScalarType.BOOLEAN && t != ScalarType.NULL) {
            throw new FunctionException(function + " expects a BOOLEAN argument, got " + t.sql());
        }
    }

    /** The constant fraction of {@code PERCENTILE_CONT(0.95)}, {@code APPROX_PERCENTILE(x, 0.95)}. */
    static BigDecimal constantFraction(String function, List<Expr> arguments, int index) {
        Expr e = arguments.get(index);
        if (!(e instanceof Expr.Literal literal) || !(literal.value() instanceof Number number)) {
            throw new FunctionException(function + " expects a constant numeric fraction between 0 and 1, got "
                    + (Expr.isConstant(e) ? e + " of type " + e.type().sql() : "a non-constant " + e.type().sql()));
        }
        BigDecimal fraction = number instanceof BigDecimal d ? d
                : number instanceof Double || number instanceof Float ? BigDecimal.valueOf(number.doubleValue())
                : BigDecimal.valueOf(number.longValue());
        if (fraction.compareTo(BigDecimal.ZERO) < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new FunctionException(function + " expects a fraction between 0 and 1, got " + fraction.toPlainString());
        }
        return fraction;
    }

    private static String describe(List<Expr> arguments) {
        return arguments.isEmpty() ? "" : arguments.stream().map(a -> a.type().sql())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
