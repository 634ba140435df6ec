package dev.sluice.runtime.expr;

import dev.sluice.serdes.row.Row;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ksqlDB's lambda functions over arrays and maps, compiled once: {@code TRANSFORM}, {@code FILTER}
 * and {@code REDUCE}. A lambda is {@code LAMBDA(n, outermost, body)}: its body reads the row it is
 * given with the lambda's {@code n} arguments appended (after those of the lambdas around it), and
 * {@code LAMBDA_VAR(slot, end)} reads argument {@code slot} of the {@code end} appended so far.
 * Null handling is ksqlDB's: a NULL array or map gives NULL (REDUCE: its initial state), a NULL
 * initial state gives NULL, a FILTER predicate that is not TRUE drops the element, and a
 * {@link LambdaFailure} makes the outermost lambda function NULL.
 */
final class LambdaEvaluators {
    private LambdaEvaluators() {
    }

    static boolean isLambdaCall(Expr.Call call) {
        return call.arguments().stream().anyMatch(a -> a instanceof Expr.Call c && c.function().equals("LAMBDA"));
    }

    /** {@code LAMBDA_VAR(slot, end)}: the lambda argument {@code slot} of the {@code end} appended to the row. */
    static Evaluator variable(Expr.Call call) {
        int slot = ((Number) ((Expr.Literal) call.arguments().get(0)).value()).intValue();
        int end = ((Number) ((Expr.Literal) call.arguments().get(1)).value()).intValue();
        return row -> row.get(row.size() - end + slot);
    }

    /** {@code LAMBDA_STRICT(x)}: an arithmetic operand in a ksqlDB lambda, which fails the lambda when NULL. */
    static Evaluator strict(Evaluator operand) {
        return row -> {
            Object v = operand.evaluate(row);
            if (v == null) {
                throw new LambdaFailure("NULL operand in a lambda's arithmetic");
            }
            return v;
        };
    }

    static Evaluator compile(Expr.Call call, ExprCompiler compiler) {
        List<Expr> args = call.arguments();
        Expr.Call first = lambdaArgument(args);
        boolean outermost = Boolean.TRUE.equals(((Expr.Literal) first.arguments().get(1)).value());
        Evaluator collection = compiler.compile(args.get(0));
        Evaluator body = compiler.compile(lambdaBody(args.get(args.size() - 1)));
        Evaluator evaluator = switch (call.function()) {
            case "TRANSFORM" -> args.size() == 3
                    ? transformMap(collection, compiler.compile(lambdaBody(args.get(1))), body)
                    : transformArray(collection, body);
            case "FILTER" -> lambdaArity(args.get(1)) == 2 ? filterMap(collection, body) : filterArray(collection, body);
            case "REDUCE" -> lambdaArity(args.get(2)) == 3
                    ? reduceMap(collection, compiler.compile(args.get(1)), body)
                    : reduceArray(collection, compiler.compile(args.get(1)), body);
            default -> throw new IllegalStateException("no lambda function " + call.function());
        };
        if (!outermost) {
            return evaluator;
        }
        return row -> {
            try {
                return evaluator.evaluate(row);
            } catch (LambdaFailure e) {
                return null;
            }
        };
    }

    private static Expr.Call lambdaArgument(List<Expr> args) {
        for (Expr a : args) {
            if (a instanceof Expr.Call c && c.function().equals("LAMBDA")) {
                return c;
            }
        }
        throw new IllegalStateException("no lambda among " + args);
    }

    private static Expr lambdaBody(Expr lambda) {
        return ((Expr.Call) lambda).arguments().get(2);
    }

    private static int lambdaArity(Expr lambda) {
        return ((Number) ((Expr.Literal) ((Expr.Call) lambda).arguments().get(0)).value()).intValue();
    }

    /** The row a lambda body reads: the row it was called with, then the lambda's arguments. */
    private static Row with(Row row, Object a) {
        Object[] values = new Object[row.size() + 1];
        System.arraycopy(row.toArray(), 0, values, 0, row.size());
        values[row.size()] = a;
        return new Row(values);
    }

    private static Row with(Row row, Object a, Object b) {
        Object[] values = new Object[row.size() + 2];
        System.arraycopy(row.toArray(), 0, values, 0, row.size());
        values[row.size()] = a;
        values[row.size() + 1] = b;
        return new Row(values);
    }

    private static Row with(Row row, Object a, Object b, Object c) {
        Object[] values = new Object[row.size() + 3];
        System.arraycopy(row.toArray(), 0, values, 0, row.size());
        values[row.size()] = a;
        values[row.size() + 1] = b;
        values[row.size() + 2] = c;
        return new Row(values);
    }

    private static Evaluator transformArray(Evaluator collection, Evaluator body) {
        return row -> {
            List<?> array = (List<?>) collection.evaluate(row);
            if (array == null) {
                return null;
            }
            List<Object> out = new ArrayList<>(array.size());
            for (Object element : array) {
                out.add(body.evaluate(with(row, element)));
            }
            return Collections.unmodifiableList(out);
        };
    }

    private static Evaluator transformMap(Evaluator collection, Evaluator keyBody, Evaluator valueBody) {
        return row -> {
            Map<?, ?> map = (Map<?, ?>) collection.evaluate(row);
            if (map == null) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Row entry = with(row, e.getKey(), e.getValue());
                put(out, keyBody.evaluate(entry), valueBody.evaluate(entry));
            }
            return Collections.unmodifiableMap(out);
        };
    }

    /** ksqlDB collects maps with {@code Collectors.toMap}, which refuses NULL values and repeated keys. */
    private static void put(Map<Object, Object> out, Object key, Object value) {
        if (value == null) {
            throw new LambdaFailure("a map's value is NULL");
        }
        if (out.putIfAbsent(key, value) != null) {
            throw new LambdaFailure("the map's key " + key + " repeats");
        }
    }

    private static Evaluator filterArray(Evaluator collection, Evaluator predicate) {
        return row -> {
            List<?> array = (List<?>) collection.evaluate(row);
            if (array == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object element : array) {
                if (Boolean.TRUE.equals(predicate.evaluate(with(row, element)))) {
                    out.add(element);
                }
            }
            return Collections.unmodifiableList(out);
        };
    }

    private static Evaluator filterMap(Evaluator collection, Evaluator predicate) {
        return row -> {
            Map<?, ?> map = (Map<?, ?>) collection.evaluate(row);
            if (map == null) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (Boolean.TRUE.equals(predicate.evaluate(with(row, e.getKey(), e.getValue())))) {
                    put(out, e.getKey(), e.getValue());
                }
            }
            return Collections.unmodifiableMap(out);
        };
    }

    private static Evaluator reduceArray(Evaluator collection, Evaluator initial, Evaluator body) {
        return row -> {
            Object state = initial.evaluate(row);
            if (state == null) {
                return null;
            }
            List<?> array = (List<?>) collection.evaluate(row);
            if (array == null) {
                return state;
            }
            for (Object element : array) {
                state = body.evaluate(with(row, state, element));
            }
            return state;
        };
    }

    private static Evaluator reduceMap(Evaluator collection, Evaluator initial, Evaluator body) {
        return row -> {
            Object state = initial.evaluate(row);
            if (state == null) {
                return null;
            }
            Map<?, ?> map = (Map<?, ?>) collection.evaluate(row);
            if (map == null) {
                return state;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                state = body.evaluate(with(row, state, e.getKey(), e.getValue()));
            }
            return state;
        };
    }
}
