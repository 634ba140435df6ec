package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.runtime.function.ScalarFunction.Implementation;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * {@code = <> < <= > >=}, {@code IS [NOT] DISTINCT FROM}, {@code BETWEEN} and {@code IN}, all
 * with SQL's three-valued logic (see {@link Comparisons} for which types compare).
 */
final class ComparisonOperators {
    private ComparisonOperators() {
    }

    static List<ScalarFunction> all() {
        return List.of(
                relational("=", c -> c == 0, false).withAliases("=="),
                relational("<>", c -> c != 0, false).withAliases("!="),
                relational("<", c -> c < 0, true),
                relational("<=", c -> c <= 0, true),
                relational(">", c -> c > 0, true),
                relational(">=", c -> c >= 0, true),
                distinct("IS DISTINCT FROM", true),
                distinct("IS NOT DISTINCT FROM", false),
                between(),
                in());
    }

    static Comparisons comparison(String op, List<Expr> args, int i, int j, boolean ordering) {
        SqlType a = args.get(i).type();
        SqlType b = args.get(j).type();
        return Comparisons.of(a, b, ordering).orElseThrow(() -> new FunctionException(
                op + " cannot compare " + a.sql() + " with " + b.sql()
                        + (ordering ? " (only numbers, strings, booleans, temporals and intervals are ordered)" : "")));
    }

    private static Fn relational(String op, IntPredicate test, boolean ordering) {
        return Fn.of(op, args -> {
            Args.count(op, "two comparable operands", args, 2, 2);
            comparison(op, args, 0, 1, ordering);
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Comparisons c = comparison(op, args, 0, 1, ordering);
            return a -> {
                Integer r = c.compare(a[0], a[1]);
                return r == null ? null : test.test(r);
            };
        });
    }

    /** NULL is not distinct from NULL; never returns NULL. */
    private static Fn distinct(String name, boolean distinct) {
        return Fn.of(name, args -> {
            Args.count(name, "two comparable operands", args, 2, 2);
            comparison(name, args, 0, 1, false);
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Comparisons c = comparison(name, args, 0, 1, false);
            return a -> {
                boolean same;
                if (a[0] == null || a[1] == null) {
                    same = a[0] == null && a[1] == null;
                } else {
                    Integer r = c.compare(a[0], a[1]);
                    same = r != null && r == 0;
                }
                return distinct != same;
            };
        }).seeingNulls();
    }

    /** {@code v BETWEEN lo AND hi} is {@code v >= lo AND v <= hi}, with AND's NULL rules. */
    private static Fn between() {
        return Fn.of("BETWEEN", args -> {
            Args.count("BETWEEN", "(value, low, high)", args, 3, 3);
            comparison("BETWEEN", args, 0, 1, true);
            comparison("BETWEEN", args, 0, 2, true);
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Comparisons low = comparison("BETWEEN", args, 0, 1, true);
            Comparisons high = comparison("BETWEEN", args, 0, 2, true);
            return a -> {
                if (a[0] == null) {
                    return null;
                }
                Integer l = low.compare(a[0], a[1]);
                Integer h = high.compare(a[0], a[2]);
                if (l != null && l < 0 || h != null && h > 0) {
                    return false;
                }
                return l == null || h == null ? null : Boolean.TRUE;
            };
        }).seeingNulls();
    }

    /** {@code v IN (e1, ...)}: TRUE on a match, else NULL if v or any element is NULL, else FALSE. */
    private static Fn in() {
        return Fn.of("IN", args -> {
            Args.count("IN", "(value, element, ...)", args, 2, Integer.MAX_VALUE);
            for (int i = 1; i < args.size(); i++) {
                comparison("IN", args, 0, i, false);
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            Set<Object> constants = constantSet(args);
            if (constants != null) {
                boolean listHasNull = args.stream().skip(1).anyMatch(e -> Args.constantValue(e) == null);
                boolean integral = Args.isExactInteger(args.get(0).type());
                return a -> {
                    if (a[0] == null) {
                        return null;
                    }
                    Object key = integral ? (Object) Numbers.toLong(a[0]) : a[0];
                    return constants.contains(key) ? Boolean.TRUE : listHasNull ? null : Boolean.FALSE;
                };
            }
            List<Comparisons> comparisons = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                comparisons.add(comparison("IN", args, 0, i, false));
            }
            return a -> {
                if (a[0] == null) {
                    return null;
                }
                boolean sawNull = false;
                for (int i = 1; i < a.length; i++) {
                    Integer r = comparisons.get(i - 1).compare(a[0], a[i]);
                    if (r == null) {
                        sawNull = true;
                    } else if (r == 0) {
                        return true;
                    }
                }
                return sawNull ? null : Boolean.FALSE;
            };
        }).seeingNulls();
    }

    /**
     * A hash set for the common case of a literal list of strings or integers of the value's
     * family, where hashing agrees with SQL equality; null otherwise.
     */
    private static Set<Object> constantSet(List<Expr> args) {
        SqlType valueType = args.get(0).type();
        boolean strings = valueType == ScalarType.VARCHAR;
        boolean integral = Args.isExactInteger(valueType);
        if (!strings && !integral) {
            return null;
        }
        Set<Object> set = new HashSet<>();
        for (Expr e : args.subList(1, args.size())) {
            if (!(e instanceof Expr.Literal lit)) {
                return null;
            }
            SqlType t = e.type();
            if (lit.value() == null) {
                continue;
            }
            if (strings && t == ScalarType.VARCHAR) {
                set.add(lit.value());
            } else if (integral && Args.isExactInteger(t)) {
                set.add(Numbers.toLong(lit.value()));
            } else {
                return null;
            }
        }
        return set;
    }
}
