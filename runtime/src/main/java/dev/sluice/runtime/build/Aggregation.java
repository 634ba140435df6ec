package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.aggregate.DistinctAccumulatorFactory;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-record work of an aggregate step, compiled once: argument evaluators, FILTER predicates
 * and accumulator factories for each call. Used as the DSL's initializer, aggregator and merger.
 */
final class Aggregation {
    private final AccumulatorFactory[] factories;
    private final Evaluator[][] arguments;
    private final Evaluator[] filters;
    private final int rowtimeColumn;

    Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler) {
        this(calls, rowtimeColumn, functions, compiler, false);
    }

    /** {@code changelog}: the input is a table, so every accumulator must retract (see {@link #retract}). */
    Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler,
                boolean changelog) {
        int n = calls.size();
        this.factories = new AccumulatorFactory[n];
        this.arguments = new Evaluator[n][];
        this.filters = new Evaluator[n];
        this.rowtimeColumn = rowtimeColumn;
        for (int i = 0; i < n; i++) {
            AggregateCall call = calls.get(i);
            AggregateFunction fn = functions.aggregate(call.function())
                    .orElseThrow(() -> new IllegalStateException("no aggregate " + call.function()));
            AccumulatorFactory factory = changelog
                    ? dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry.implementForChangelog(fn,
                    call.arguments(), call.type(), call.sortDescending())
                    : fn.implement(call.arguments(), call.type(), call.sortDescending());
            List<Expr> variable = new ArrayList<>();
            for (Expr arg : call.arguments()) {
                if (!Expr.isConstant(arg)) {
                    variable.add(arg);
                }
            }
            if (call.distinct()) {
                factory = new DistinctAccumulatorFactory(factory, call.arguments());
            }
            factories[i] = factory;
            arguments[i] = compiler.compileAll(variable);
            filters[i] = call.filter().map(compiler::compile).orElse(null);
        }
    }

    AggregateState initial() {
        Accumulator[] accs = new Accumulator[factories.length];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = factories[i].create();
        }
        return new AggregateState(accs);
    }

    AggregateState add(Row row, AggregateState state) {
        if (row == EndOfTime.MARKER) {
            return state;
        }
        return apply(row, state, false);
    }

    /** Takes back a row added earlier: the old value of a table row that changed or was deleted. */
    AggregateState retract(Row row, AggregateState state) {
        return apply(row, state, true);
    }

    /** Evaluates each call's FILTER and arguments over the row, then adds or retracts them. */
    private AggregateState apply(Row row, AggregateState state, boolean retract) {
        long timestamp = rowtimeColumn >= 0 && row.get(rowtimeColumn) instanceof Long ts ? ts : 0L;
        for (int i = 0; i < factories.length; i++) {
            if (filters[i] != null && !Boolean.TRUE.equals(filters[i].evaluate(row))) {
                continue;
            }
            Evaluator[] args = arguments[i];
            Object[] values = new Object[args.length];
            for (int a = 0; a < values.length; a++) {
                values[a] = args[a].evaluate(row);
            }
            if (retract) {
                state.accumulators[i].retract(values, timestamp);
            } else {
                state.accumulators[i].add(values, timestamp);
            }
        }
        return state;
    }

    AggregateState merge(AggregateState left, AggregateState right) {
        for (int i = 0; i < factories.length; i++) {
            left.accumulators[i].merge(right.accumulators[i]);
        }
        return left;
    }

    /** The results of every call, in call order, appended after {@code prefix} values. */
    Object[] results(AggregateState state, int prefixWidth) {
        Object[] out = new Object[prefixWidth + factories.length];
        for (int i = 0; i < factories.length; i++) {
            out[prefixWidth + i] = state.accumulators[i].result();
        }
        return out;
    }

    AggregateStateSerde serde() {
        return new AggregateStateSerde(factories);
    }
}
