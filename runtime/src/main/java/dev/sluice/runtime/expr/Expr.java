package dev.sluice.runtime.expr;

import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A resolved, typed scalar expression over the positional input row of one plan step. This is
 * data (records, structural equality): the compiler produces it, plans carry it, and the runtime
 * compiles it once into an {@link Evaluator} when the topology is built.
 */
public sealed interface Expr {

    SqlType type();

    /** Column {@code index} of the step's input row. */
    record InputRef(int index, SqlType type) implements Expr {
        @Override
        public String toString() {
            return "$" + index;
        }
    }

    /** A constant in the representation {@link SqlType} documents ({@code null} for NULL). */
    record Literal(Object value, SqlType type) implements Expr {
        @Override
        public String toString() {
            return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        }
    }

    /**
     * A call of a scalar function or operator by its canonical upper-case name (see
     * {@code FunctionRegistry}), or of a special form the evaluator compiler handles itself because
     * it must not evaluate every argument: {@code AND}, {@code OR}, {@code CASE} (args: cond1,
     * result1, cond2, result2, ..., [else]), {@code COALESCE}, {@code IF}.
     * {@code CAST}'s target is {@link #type()}.
     */
    record Call(String function, List<Expr> arguments, SqlType type) implements Expr {
        public Call {
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toString() {
            return function + arguments.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    static boolean isConstant(Expr e) {
        return e instanceof Literal;
    }
}
