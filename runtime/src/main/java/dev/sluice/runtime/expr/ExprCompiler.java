package dev.sluice.runtime.expr;

import dev.sluice.runtime.errors.ProcessingErrors;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * Compiles an {@link Expr} into an {@link Evaluator} once, when the topology is built. Functions
 * are bound to their implementation here, so per record there is no lookup, only calls.
 *
 * <p>AND, OR, CASE, COALESCE and IF are compiled here rather than as functions because they must
 * not evaluate every argument (a CASE branch may divide by zero when not taken); so are the lambda
 * functions TRANSFORM, FILTER and REDUCE, which evaluate theirs once per element
 * ({@link LambdaEvaluators}).
 *
 * <p>A function that fails for a row fails the record (Flink's dialect: it is dead-lettered). In
 * ksqlDB's dialect the call is NULL for that row instead and the row goes on, counted and logged as a
 * processing error ({@link ProcessingErrors}): ksqlDB's generated code wraps each function call in a
 * handler that writes the error to its processing log and yields NULL, so
 * {@code IFNULL(PARSE_DATE('abcd', ...), d)} is {@code d} there.
 */
public final class ExprCompiler {
    private final FunctionCatalog functions;
    /** ksqlDB's dialect: a failing call is NULL for the row (read once, when the topology is built). */
    private final boolean nullOnFailure;

    public ExprCompiler(FunctionCatalog functions) {
        this.functions = functions;
        this.nullOnFailure = functions.ksqlDialect();
    }

    public Evaluator compile(Expr expr) {
        if (expr instanceof Expr.InputRef ref) {
            int index = ref.index();
            return row -> row.get(index);
        }
        if (expr instanceof Expr.Literal literal) {
            Object value = literal.value();
            return row -> value;
        }
        Expr.Call call = (Expr.Call) expr;
        return switch (call.function()) {
            case "AND" -> and(compileAll(call.arguments()));
            case "OR" -> or(compileAll(call.arguments()));
            case "CASE" -> searchedCase(compileAll(call.arguments()));
            case "COALESCE" -> coalesce(compileAll(call.arguments()));
            case "IF" -> searchedCase(compileAll(call.arguments()));
            case "LAMBDA_VAR" -> LambdaEvaluators.variable(call);
            case "LAMBDA_STRICT" -> LambdaEvaluators.strict(compile(call.arguments().get(0)));
            case WindowAssignment.CALL -> WindowAssignment.compile(call, compile(call.arguments().get(0)));
            case "TRANSFORM", "FILTER", "REDUCE" -> LambdaEvaluators.isLambdaCall(call)
                    ? LambdaEvaluators.compile(call, this) : function(call);
            default -> function(call);
        };
    }

    public Evaluator[] compileAll(List<Expr> exprs) {
        Evaluator[] out = new Evaluator[exprs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = compile(exprs.get(i));
        }
        return out;
    }

    /** Three-valued AND: FALSE wins over NULL. */
    private static Evaluator and(Evaluator[] args) {
        return row -> {
            boolean sawNull = false;
            for (Evaluator a : args) {
                Object v = a.evaluate(row);
                if (v == null) {
                    sawNull = true;
                } else if (!(Boolean) v) {
                    return Boolean.FALSE;
                }
            }
            return sawNull ? null : Boolean.TRUE;
        };
    }

    /** Three-valued OR: TRUE wins over NULL. */
    private static Evaluator or(Evaluator[] args) {
        return row -> {
            boolean sawNull = false;
            for (Evaluator a : args) {
                Object v = a.evaluate(row);
                if (v == null) {
                    sawNull = true;
                } else if ((Boolean) v) {
                    return Boolean.TRUE;
                }
            }
            return sawNull ? null : Boolean.FALSE;
        };
    }

    /** Arguments: cond1, result1, ..., [else]. A NULL condition is not taken. */
    private static Evaluator searchedCase(Evaluator[] args) {
        int pairs = args.length / 2;
        boolean hasElse = args.length % 2 == 1;
        return row -> {
            for (int i = 0; i < pairs; i++) {
                if (Boolean.TRUE.equals(args[2 * i].evaluate(row))) {
                    return args[2 * i + 1].evaluate(row);
                }
            }
            return hasElse ? args[args.length - 1].evaluate(row) : null;
        };
    }

    private static Evaluator coalesce(Evaluator[] args) {
        return row -> {
            for (Evaluator a : args) {
                Object v = a.evaluate(row);
                if (v != null) {
                    return v;
                }
            }
            return null;
        };
    }

    private Evaluator function(Expr.Call call) {
        ScalarFunction fn = functions.scalar(call.function())
                .orElseThrow(() -> new IllegalStateException("no function " + call.function()));
        SqlType type = call.type();
        ScalarFunction.Implementation bound = fn.implement(call.arguments(), type);
        ScalarFunction.Implementation impl = nullOnFailure ? nullOnFailure(bound, call.function()) : bound;
        Evaluator[] args = compileAll(call.arguments());
        boolean nullOnNull = fn.nullOnNullInput();
        String name = call.function();
        if (args.length == 1) {
            Evaluator a0 = args[0];
            return row -> {
                Object v0 = a0.evaluate(row);
                if (v0 == null && nullOnNull) {
                    return null;
                }
                return apply(impl, name, new Object[] {v0});
            };
        }
        if (args.length == 2) {
            Evaluator a0 = args[0];
            Evaluator a1 = args[1];
            return row -> {
                Object v0 = a0.evaluate(row);
                if (v0 == null && nullOnNull) {
                    return null;
                }
                Object v1 = a1.evaluate(row);
                if (v1 == null && nullOnNull) {
                    return null;
                }
                return apply(impl, name, new Object[] {v0, v1});
            };
        }
        return row -> {
            Object[] values = new Object[args.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = args[i].evaluate(row);
                if (values[i] == null && nullOnNull) {
                    return null;
                }
            }
            return apply(impl, name, values);
        };
    }

    /**
     * ksqlDB's processing log: a function's failure is counted, logged and NULL; the row goes on. That
     * holds for a user-defined function too (ksqlDB's PARTITION BY of a failing UDF keeps the row with a
     * NULL key), counted as {@code udf_error}.
     */
    private static ScalarFunction.Implementation nullOnFailure(ScalarFunction.Implementation impl, String name) {
        return values -> {
            try {
                return impl.apply(values);
            } catch (dev.sluice.runtime.errors.DroppedRecordException e) {
                throw e; // deliberate drops keep their own policy
            } catch (dev.sluice.runtime.errors.UdfFailedException e) {
                ProcessingErrors.udfNulled(name, e);
                return null;
            } catch (RuntimeException e) {
                ProcessingErrors.expressionNulled(name, e);
                return null;
            }
        };
    }

    private static Object apply(ScalarFunction.Implementation impl, String name, Object[] values) {
        try {
            return impl.apply(values);
        } catch (ExpressionEvaluationException | dev.sluice.runtime.errors.DroppedRecordException
                 | dev.sluice.runtime.errors.UdfFailedException e) {
            throw e; // already says which function failed and why
        } catch (RuntimeException e) {
            // The record fails, not the pipeline: Kafka Streams' processing exception handler logs it
            // with topic/partition/offset and dead-letters it. Say which function failed and why.
            throw new ExpressionEvaluationException(name + " failed: " + e.getMessage(), e);
        }
    }
}
