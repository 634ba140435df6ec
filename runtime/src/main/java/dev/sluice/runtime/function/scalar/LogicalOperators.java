package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.function.Predicate;

/**
 * {@code NOT} and the {@code IS} predicates. AND and OR are special forms of the evaluator
 * (they must not evaluate both sides), so they are not here.
 */
final class LogicalOperators {
    private LogicalOperators() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                Fn.of("NOT", args -> {
                    Args.count("NOT", "(BOOLEAN)", args, 1, 1);
                    requireBoolean("NOT", args.get(0).type(), args);
                    return ScalarType.BOOLEAN;
                }, (args, type) -> a -> !(Boolean) a[0]),
                nullTest("IS NULL", v -> v == null),
                nullTest("IS NOT NULL", v -> v != null),
                truthTest("IS TRUE", v -> Boolean.TRUE.equals(v)),
                truthTest("IS FALSE", v -> Boolean.FALSE.equals(v)),
                truthTest("IS NOT TRUE", v -> !Boolean.TRUE.equals(v)),
                truthTest("IS NOT FALSE", v -> !Boolean.FALSE.equals(v)));
    }

    private static void requireBoolean(String name, SqlType t, List<dev.sluice.runtime.expr.Expr> args) {
        if (t != ScalarType.BOOLEAN && t != ScalarType.NULL) {
            throw Args.mismatch(name, "(BOOLEAN)", args);
        }
    }

    private static Fn nullTest(String name, Predicate<Object> test) {
        return Fn.of(name, args -> {
            Args.count(name, "one operand", args, 1, 1);
            return ScalarType.BOOLEAN;
        }, (args, type) -> a -> test.test(a[0])).seeingNulls();
    }

    private static Fn truthTest(String name, Predicate<Object> test) {
        return Fn.of(name, args -> {
            Args.count(name, "(BOOLEAN)", args, 1, 1);
            requireBoolean(name, args.get(0).type(), args);
            return ScalarType.BOOLEAN;
        }, (args, type) -> a -> test.test(a[0])).seeingNulls();
    }
}
