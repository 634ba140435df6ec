package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The output of an aggregate OVER step, as both OVER planners ({@link RunningAggregates} over a
 * table, {@link StreamOverAggregates} over a stream) build it: the prepared input's columns, then
 * one result column {@code OVER$<index>} per aggregate call, in call order.
 */
record OverResults(List<Column> columns, List<ScopeColumn> scope) {
    OverResults {
        columns = List.copyOf(columns);
        scope = List.copyOf(scope);
    }

    /** Appends the calls' result columns and resolves each call to its column in {@code resolved}. */
    static OverResults append(WindowFunctionPlanner.Prepared prepared, List<FunctionCall> calls,
                              List<AggregateCall> aggregates, Map<FunctionCall, Expr> resolved) {
        List<Column> out = new ArrayList<>(prepared.columns);
        List<ScopeColumn> cols = new ArrayList<>(prepared.scopeColumns);
        for (int i = 0; i < calls.size(); i++) {
            int index = out.size();
            SqlType type = aggregates.get(i).type();
            out.add(new Column("OVER$" + index, type));
            cols.add(new ScopeColumn(Optional.empty(), "OVER$" + index, type, index, true));
            resolved.put(calls.get(i), new Expr.InputRef(index, type));
        }
        return new OverResults(out, cols);
    }
}
