package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Calls functions through the public contract only: look up, type, bind, apply, imitating the
 * evaluator's NULL short-circuit for nullOnNullInput functions.
 */
final class Calls {
    /** 2024-01-15T10:30:00Z, a Monday. */
    static final long NOW = 1705314600000L;
    static final ScalarFunctionRegistry REGISTRY = new ScalarFunctionRegistry(() -> NOW);

    private Calls() {
    }

    static ScalarFunction fn(String name) {
        return REGISTRY.lookup(name).orElseThrow(() -> new AssertionError("no function " + name));
    }

    static SqlType type(String name, Expr... args) {
        return fn(name).returnType(List.of(args));
    }

    /** Evaluates with literal arguments (their values are the row values). */
    static Object eval(String name, Expr... args) {
        Object[] values = Arrays.stream(args).map(e -> e instanceof Expr.Literal l ? l.value() : null).toArray();
        return evalWith(name, List.of(args), values);
    }

    /** Evaluates with the given argument values, e.g. for InputRef arguments. */
    static Object evalWith(String name, List<Expr> args, Object... values) {
        ScalarFunction f = fn(name);
        SqlType type = f.returnType(args);
        return apply(f, args, type, values);
    }

    /** Evaluates ksqlDB's meaning of {@code name} (its dialect) with literal arguments. */
    static Object evalKsql(String name, Expr... args) {
        ScalarFunction f = KsqlScalarMeanings.of(name).orElseThrow(() -> new AssertionError("no ksqlDB meaning of " + name));
        Object[] values = Arrays.stream(args).map(e -> e instanceof Expr.Literal l ? l.value() : null).toArray();
        return apply(f, List.of(args), f.returnType(List.of(args)), values);
    }

    static Object cast(Expr arg, SqlType target) {
        return apply(fn("CAST"), List.of(arg), target, new Object[] {((Expr.Literal) arg).value()});
    }

    static Object tryCast(Expr arg, SqlType target) {
        return apply(fn("TRY_CAST"), List.of(arg), target, new Object[] {((Expr.Literal) arg).value()});
    }

    private static Object apply(ScalarFunction f, List<Expr> args, SqlType type, Object[] values) {
        ScalarFunction.Implementation impl = f.implement(args, type);
        if (f.nullOnNullInput() && Arrays.stream(values).anyMatch(v -> v == null)) {
            return null;
        }
        return impl.apply(values);
    }

    static Expr.Literal i(int v) {
        return new Expr.Literal(v, ScalarType.INTEGER);
    }

    static Expr.Literal l(long v) {
        return new Expr.Literal(v, ScalarType.BIGINT);
    }

    static Expr.Literal dbl(double v) {
        return new Expr.Literal(v, ScalarType.DOUBLE);
    }

    /** A DECIMAL literal typed like SQL's: precision = digits, scale = fraction digits. */
    static Expr.Literal dec(String v) {
        BigDecimal d = new BigDecimal(v);
        return new Expr.Literal(d, new DecimalType(Math.max(d.precision(), d.scale()), d.scale()));
    }

    static Expr.Literal s(String v) {
        return new Expr.Literal(v, ScalarType.VARCHAR);
    }

    static Expr.Literal b(Boolean v) {
        return new Expr.Literal(v, ScalarType.BOOLEAN);
    }

    static Expr.Literal nul() {
        return new Expr.Literal(null, ScalarType.NULL);
    }

    static Expr.Literal nul(SqlType t) {
        return new Expr.Literal(null, t);
    }

    static Expr.Literal ts(String text) {
        return new Expr.Literal(DateTimes.parseTimestamp(text), ScalarType.TIMESTAMP);
    }

    static Expr.Literal date(String text) {
        return new Expr.Literal(DateTimes.parseDate(text), ScalarType.DATE);
    }

    static Expr.Literal interval(long millis) {
        return new Expr.Literal(millis, ScalarType.INTERVAL);
    }

    static Expr.Literal variant(String json) {
        return new Expr.Literal(JsonValues.parse(json), ScalarType.VARIANT);
    }

    static Expr.InputRef ref(int index, SqlType type) {
        return new Expr.InputRef(index, type);
    }

    static DecimalType decimal(int p, int s) {
        return new DecimalType(p, s);
    }
}
