package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Argument checks shared by all function families; every failure names the function and types. */
final class Args {
    private Args() {
    }

    static String typeList(List<Expr> args) {
        return args.stream().map(a -> a.type().sql()).collect(Collectors.joining(", ", "(", ")"));
    }

    static FunctionException mismatch(String function, String expected, List<Expr> args) {
        return new FunctionException(function + " expects " + expected + ", got " + typeList(args));
    }

    static void count(String function, String expected, List<Expr> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw mismatch(function, expected, args);
        }
    }

    static boolean isNull(SqlType t) {
        return t == ScalarType.NULL;
    }

    /** VARCHAR or an untyped NULL literal. */
    static boolean isString(SqlType t) {
        return t == ScalarType.VARCHAR || isNull(t);
    }

    static boolean isExactInteger(SqlType t) {
        return t == ScalarType.INTEGER || t == ScalarType.BIGINT;
    }

    static boolean isIntegerLike(SqlType t) {
        return isExactInteger(t) || isNull(t);
    }

    static boolean isNumericLike(SqlType t) {
        return t.isNumeric() || isNull(t);
    }

    static boolean isTimestamp(SqlType t) {
        return t == ScalarType.TIMESTAMP || t == ScalarType.TIMESTAMP_LTZ;
    }

    static boolean isDecimal(SqlType t) {
        return t instanceof DecimalType;
    }

    /** Requires argument {@code i} to be a non-null constant VARCHAR (units, formats, paths). */
    static String constantString(String function, List<Expr> args, int i, String what) {
        Expr e = args.get(i);
        if (e instanceof Expr.Literal lit && lit.value() instanceof String s) {
            return s;
        }
        throw new FunctionException(function + " expects a constant VARCHAR " + what + " as argument "
                + (i + 1) + ", got " + describe(e));
    }

    static int constantInt(String function, List<Expr> args, int i, String what) {
        Expr e = args.get(i);
        if (e instanceof Expr.Literal lit && lit.value() instanceof Number n && isExactInteger(e.type())) {
            return Math.toIntExact(n.longValue());
        }
        throw new FunctionException(function + " expects a constant INTEGER " + what + " as argument "
                + (i + 1) + ", got " + describe(e));
    }

    static boolean isConstant(Expr e) {
        return e instanceof Expr.Literal;
    }

    static Object constantValue(Expr e) {
        return ((Expr.Literal) e).value();
    }

    static String describe(Expr e) {
        return e instanceof Expr.Literal ? e + " (" + e.type().sql() + ")" : "a non-constant " + e.type().sql();
    }

    static String upper(String s) {
        return s.trim().toUpperCase(Locale.ROOT);
    }
}
