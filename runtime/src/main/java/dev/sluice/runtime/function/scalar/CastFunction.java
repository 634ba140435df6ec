package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code CAST(x AS t)} and {@code TRY_CAST(x AS t)}. The target is the call's type, so the
 * analyzer checks {@link TypeRules#canCast} and passes the target to {@link #implement};
 * {@link #returnType} cannot know it and throws.
 *
 * <p>A failing CAST throws ({@link IllegalArgumentException} for text that does not parse,
 * {@link ArithmeticException} for a value out of range) so the runtime dead-letters the record;
 * TRY_CAST returns NULL instead. The conversions are listed in {@link Casts}.
 */
final class CastFunction implements ScalarFunction {
    private final boolean lenient;
    /** ksqlDB's conversions ({@link Casts#converter(SqlType, SqlType, boolean)}). */
    private final boolean ksql;

    private CastFunction(boolean lenient, boolean ksql) {
        this.lenient = lenient;
        this.ksql = ksql;
    }

    static List<ScalarFunction> all() {
        return List.of(new CastFunction(false, false), new CastFunction(true, false));
    }

    /** CAST and TRY_CAST in ksqlDB's dialect: narrowing wraps, partial dates complete. */
    static List<ScalarFunction> ksql() {
        return List.of(new CastFunction(false, true), new CastFunction(true, true));
    }

    @Override
    public String name() {
        return lenient ? "TRY_CAST" : "CAST";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        throw new FunctionException(name() + " takes its target type from the call (" + name()
                + "(x AS type)); check it with TypeRules.canCast");
    }

    @Override
    public Implementation implement(List<Expr> arguments, SqlType returnType) {
        if (arguments.size() != 1) {
            throw Args.mismatch(name(), "one operand", arguments);
        }
        SqlType from = arguments.get(0).type();
        if (!TypeRules.canCast(from, returnType, ksql)) {
            throw new FunctionException(name() + " cannot convert " + from.sql() + " to " + returnType.sql());
        }
        UnaryOperator<Object> convert = Casts.converter(from, returnType, ksql);
        if (!lenient) {
            return a -> convert.apply(a[0]);
        }
        return a -> {
            try {
                return convert.apply(a[0]);
            } catch (RuntimeException e) {
                return null;
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
