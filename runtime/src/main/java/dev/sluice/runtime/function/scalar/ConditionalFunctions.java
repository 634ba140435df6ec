package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * NULLIF, IFNULL (alias NVL), GREATEST and LEAST. COALESCE, CASE and IF are special forms of the
 * evaluator because they must not evaluate every argument; IFNULL has only two arguments, both
 * plain values, so evaluating both is harmless.
 */
final class ConditionalFunctions {
    private ConditionalFunctions() {
    }

    static List<ScalarFunction> all() {
        return List.of(nullIf(), ifNull(), extreme("GREATEST", 1, false), extreme("LEAST", -1, false),
                extreme("GREATEST_IGNORE_NULLS", 1, true), extreme("LEAST_IGNORE_NULLS", -1, true));
    }

    static SqlType common(String name, List<Expr> args) {
        SqlType result = args.get(0).type();
        for (Expr e : args.subList(1, args.size())) {
            SqlType next = e.type();
            result = TypeRules.commonType(result, next).orElseThrow(() -> new FunctionException(
                    name + " expects arguments of one type family, got " + Args.typeList(args)));
        }
        return result;
    }

    /**
     * ksqlDB's GREATEST and LEAST read a text literal beside dates, times or timestamps as one of
     * them ({@code GREATEST(t1, t2, '09:16:00')}); the text is converted when the call is made.
     */
    private static java.util.Optional<SqlType> temporalWithText(String name, List<Expr> args) {
        List<Expr> others = args.stream().filter(e -> !(e instanceof Expr.Literal l && l.value() instanceof String)).toList();
        if (others.isEmpty() || others.size() == args.size()) {
            return java.util.Optional.empty();
        }
        SqlType t = common(name, others);
        return t.isTemporal() || t == ScalarType.TIME ? java.util.Optional.of(t) : java.util.Optional.empty();
    }

    private static List<UnaryOperator<Object>> converters(List<Expr> args, SqlType to) {
        List<UnaryOperator<Object>> out = new ArrayList<>();
        for (Expr e : args) {
            out.add(Casts.converter(e.type(), to));
        }
        return out;
    }

    /** NULLIF(a, b): NULL when a = b, else a (typed as a). */
    private static Fn nullIf() {
        return Fn.of("NULLIF", args -> {
            Args.count("NULLIF", "two comparable arguments", args, 2, 2);
            ComparisonOperators.comparison("NULLIF", args, 0, 1, false);
            return args.get(0).type();
        }, (args, type) -> {
            Comparisons c = ComparisonOperators.comparison("NULLIF", args, 0, 1, false);
            return a -> {
                if (a[0] == null || a[1] == null) {
                    return a[0];
                }
                Integer r = c.compare(a[0], a[1]);
                return r != null && r == 0 ? null : a[0];
            };
        }).seeingNulls();
    }

    private static Fn ifNull() {
        return Fn.of("IFNULL", args -> {
            Args.count("IFNULL", "two arguments of one type family", args, 2, 2);
            return common("IFNULL", args);
        }, (args, type) -> {
            List<UnaryOperator<Object>> to = converters(args, type);
            return a -> a[0] != null ? to.get(0).apply(a[0]) : to.get(1).apply(a[1]);
        }).withAliases("NVL").seeingNulls();
    }

    /**
     * GREATEST/LEAST: NULL if any argument is NULL, as in Flink. The _IGNORE_NULLS forms (Snowflake's
     * names; ksqlDB's and PostgreSQL's GREATEST and LEAST) skip NULLs and are NULL only when all are.
     */
    private static Fn extreme(String name, int sign, boolean ignoreNulls) {
        Fn fn = Fn.of(name, args -> {
            Args.count(name, "at least one argument", args, 1, Integer.MAX_VALUE);
            SqlType t = ignoreNulls ? temporalWithText(name, args).orElseGet(() -> common(name, args)) : common(name, args);
            if (Comparisons.of(t, t, true).isEmpty()) {
                throw new FunctionException(name + " cannot order values of type " + t.sql());
            }
            return t;
        }, (args, type) -> {
            List<UnaryOperator<Object>> to = converters(args, type);
            Comparisons c = Comparisons.of(type, type, true).orElseThrow();
            return a -> {
                Object best = null;
                for (int i = 0; i < a.length; i++) {
                    Object v = a[i] == null ? null : to.get(i).apply(a[i]);
                    if (v != null && (best == null || sign * c.compare(v, best) > 0)) {
                        best = v;
                    }
                }
                return best;
            };
        });
        return ignoreNulls ? fn.seeingNulls() : fn;
    }
}
