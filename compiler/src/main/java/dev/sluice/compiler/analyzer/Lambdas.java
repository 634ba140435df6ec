package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ksqlDB's lambda functions, typed as ksqlDB types them:
 * <ul>
 *   <li>{@code TRANSFORM(array, x => r)}: {@code ARRAY<r>}; {@code TRANSFORM(map, (k, v) => k2, (k, v) => v2)}:
 *   {@code MAP<k2, v2>};</li>
 *   <li>{@code FILTER(array, x => bool)} and {@code FILTER(map, (k, v) => bool)}: the same type;</li>
 *   <li>{@code REDUCE(array, s0, (s, x) => s2)} and {@code REDUCE(map, s0, (s, k, v) => s2)}: the type of
 *   the initial state {@code s0}, which the lambda's result is widened to.</li>
 * </ul>
 * The plan carries {@code LAMBDA(n, outermost, body)} arguments whose bodies read their arguments
 * through {@code LAMBDA_VAR}; the runtime's {@code LambdaEvaluators} runs them.
 */
final class Lambdas {
    static final Set<String> FUNCTIONS = Set.of("TRANSFORM", "FILTER", "REDUCE");

    private Lambdas() {
    }

    static boolean isLambdaCall(String name, FunctionCall f) {
        return FUNCTIONS.contains(name) && f.arguments().stream().anyMatch(a -> a instanceof Expression.Lambda);
    }

    static Expr analyze(ExpressionAnalyzer analyzer, FunctionCall f, String name) {
        List<Expression> args = f.arguments();
        boolean outermost = !analyzer.inLambda();
        return switch (name) {
            case "TRANSFORM" -> transform(analyzer, f, args, outermost);
            case "FILTER" -> filter(analyzer, f, args, outermost);
            default -> reduce(analyzer, f, args, outermost);
        };
    }

    private static Expr transform(ExpressionAnalyzer analyzer, FunctionCall f, List<Expression> args, boolean outermost) {
        Expr collection = collection(analyzer, f, args, 0);
        if (collection.type() instanceof ArrayType a && args.size() == 2) {
            Expr.Call fn = lambda(analyzer, f, args.get(1), List.of(a.element()), outermost);
            return new Expr.Call("TRANSFORM", List.of(collection, fn), new ArrayType(fn.type()));
        }
        if (collection.type() instanceof MapType m && args.size() == 3) {
            Expr.Call keys = lambda(analyzer, f, args.get(1), List.of(m.key(), m.value()), outermost);
            Expr.Call values = lambda(analyzer, f, args.get(2), List.of(m.key(), m.value()), outermost);
            return new Expr.Call("TRANSFORM", List.of(collection, keys, values), new MapType(keys.type(), values.type()));
        }
        throw usage(f, "TRANSFORM(array, x => ...) or TRANSFORM(map, (k, v) => new_key, (k, v) => new_value)");
    }

    private static Expr filter(ExpressionAnalyzer analyzer, FunctionCall f, List<Expression> args, boolean outermost) {
        Expr collection = collection(analyzer, f, args, 0);
        List<SqlType> parameters = collection.type() instanceof ArrayType a ? List.of(a.element())
                : collection.type() instanceof MapType m ? List.of(m.key(), m.value()) : List.of();
        if (parameters.isEmpty() || args.size() != 2) {
            throw usage(f, "FILTER(array, x => condition) or FILTER(map, (k, v) => condition)");
        }
        Expr.Call predicate = lambda(analyzer, f, args.get(1), parameters, outermost);
        if (predicate.type() != ScalarType.BOOLEAN && predicate.type() != ScalarType.NULL) {
            throw new SqlException(args.get(1).location(), "FILTER's lambda must return a BOOLEAN, this one returns "
                    + predicate.type().sql(), "compare the element: x => x > 0");
        }
        return new Expr.Call("FILTER", List.of(collection, predicate), collection.type());
    }

    private static Expr reduce(ExpressionAnalyzer analyzer, FunctionCall f, List<Expression> args, boolean outermost) {
        if (args.size() != 3 || args.get(1) instanceof Expression.Lambda) {
            throw usage(f, "REDUCE(array, initial_state, (s, x) => ...) or REDUCE(map, initial_state, (s, k, v) => ...)");
        }
        Expr collection = collection(analyzer, f, args, 0);
        Expr initial = analyzer.analyze(args.get(1));
        SqlType state = initial.type();
        List<SqlType> parameters = new ArrayList<>(List.of(state));
        if (collection.type() instanceof ArrayType a) {
            parameters.add(a.element());
        } else if (collection.type() instanceof MapType m) {
            parameters.add(m.key());
            parameters.add(m.value());
        } else {
            throw usage(f, "REDUCE(array, initial_state, (s, x) => ...) or REDUCE(map, initial_state, (s, k, v) => ...)");
        }
        Expr.Call fn = lambda(analyzer, f, args.get(2), parameters, outermost);
        Expr body = fn.arguments().get(2);
        if (!body.type().equals(state) && state != ScalarType.NULL) {
            if (!body.type().isNumeric() || !state.isNumeric()) {
                throw new SqlException(args.get(2).location(), "REDUCE's lambda returns " + body.type().sql()
                        + " but the state is " + state.sql(), "the lambda must return the state's type");
            }
            body = ExpressionAnalyzer.coerce(body, state);
            fn = new Expr.Call("LAMBDA", List.of(fn.arguments().get(0), fn.arguments().get(1), body), state);
        }
        return new Expr.Call("REDUCE", List.of(collection, initial, fn), state == ScalarType.NULL ? fn.type() : state);
    }

    private static Expr collection(ExpressionAnalyzer analyzer, FunctionCall f, List<Expression> args, int i) {
        if (args.isEmpty() || args.get(i) instanceof Expression.Lambda) {
            throw usage(f, f.simpleName().toUpperCase() + "(array or map, ...)");
        }
        return analyzer.analyze(args.get(i));
    }

    private static Expr.Call lambda(ExpressionAnalyzer analyzer, FunctionCall f, Expression argument,
                                    List<SqlType> types, boolean outermost) {
        if (!(argument instanceof Expression.Lambda l)) {
            throw new SqlException(argument.location(), f.simpleName().toUpperCase() + " expects a lambda here",
                    types.size() == 1 ? "x => ..." : "(" + String.join(", ", names(types.size())) + ") => ...");
        }
        if (l.parameters().size() != types.size()) {
            throw new SqlException(l.location(), "this lambda takes " + l.parameters().size() + " argument"
                    + (l.parameters().size() == 1 ? "" : "s") + " but " + f.simpleName().toUpperCase() + " passes "
                    + types.size(), "write (" + String.join(", ", names(types.size())) + ") => ...");
        }
        Expr body = analyzer.inLambda(l.parameters(), types, l.body());
        return new Expr.Call("LAMBDA", List.of(new Expr.Literal(types.size(), ScalarType.INTEGER),
                new Expr.Literal(outermost, ScalarType.BOOLEAN), body), body.type());
    }

    private static List<String> names(int n) {
        return List.of("a", "b", "c").subList(0, n);
    }

    private static SqlException usage(FunctionCall f, String forms) {
        return new SqlException(f.location(), "wrong arguments for " + f.simpleName().toUpperCase(), "write " + forms);
    }

    /** A lambda argument in scope: its name, its slot among the arguments appended to the row, its type. */
    record Variable(Identifier name, int slot, SqlType type) {
    }
}
