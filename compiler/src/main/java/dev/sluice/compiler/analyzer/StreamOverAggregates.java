package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.OverAggregateStep;
import dev.sluice.runtime.plan.OverFrame;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aggregates as window functions over an append-only stream, Flink's streaming OVER aggregation:
 * {@code AVG(price) OVER (PARTITION BY seller ORDER BY dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)}.
 * As in Flink, the order must be the stream's event time, ascending: the rows are put in that order
 * under the watermark and each is emitted once with its frame's aggregate (an {@link OverAggregateStep}
 * after a re-key by the partition). A row behind the watermark is late: dropped, counted and
 * dead-lettered.
 */
final class StreamOverAggregates {
    private StreamOverAggregates() {
    }

    static WindowFunctionPlanner.Planned plan(Step input, Scope scope, ExpressionAnalyzer analyzer, Expression.Over over,
                                              List<FunctionCall> calls, Map<FunctionCall, Expr> resolved,
                                              StepNames names, FunctionCatalog functions, OverFrame frame) {
        checkEventTimeOrder(over, scope, analyzer);
        WindowFunctionPlanner.Prepared prepared = new WindowFunctionPlanner.Prepared(scope);
        List<Integer> partition = prepared.partitionColumns(over.partitionBy(), analyzer);
        List<AggregateCall> aggregates = new ArrayList<>();
        for (FunctionCall f : calls) {
            aggregates.add(RunningAggregates.call(f, analyzer, prepared, functions));
        }
        Step step = prepared.expressions.size() == scope.size() ? input
                : new ProjectStep(names.name("over-prepare"), input, prepared.expressions, prepared.schema());
        List<Expr> keys = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        for (int p : partition) {
            keys.add(new Expr.InputRef(p, prepared.columns.get(p).type()));
            keyColumns.add(prepared.columns.get(p));
        }
        step = new RekeyStep(names.name("partition"), step, keys, new Schema(keyColumns));
        OverResults results = OverResults.append(prepared, calls, aggregates, resolved);
        List<Column> out = results.columns();
        List<ScopeColumn> cols = results.scope();
        step = new OverAggregateStep(names.name("over"), step, aggregates, frame, scope.watermarkDelayMs().orElse(0),
                new Schema(out));
        return new WindowFunctionPlanner.Planned(step, new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs(),
                scope.windowBounds()), e -> Optional.empty());
    }

    /** Flink's rule: over a stream, OVER is ordered by the event-time attribute, ascending. */
    private static void checkEventTimeOrder(Expression.Over over, Scope scope, ExpressionAnalyzer analyzer) {
        String hint = "a stream's rows are aggregated in event-time order: ORDER BY its event time (the column with "
                + "the WATERMARK), ascending";
        if (over.orderBy().size() != 1) {
            throw new SqlException(over.location(), "an aggregate OVER a stream needs ORDER BY its event time, "
                    + "one column", hint);
        }
        SortItem order = over.orderBy().get(0);
        Expr key = analyzer.analyze(order.key());
        boolean eventTime = key instanceof Expr.InputRef ref && scope.rowtimeColumn().isPresent()
                && ref.index() == scope.rowtimeColumn().getAsInt();
        if (!eventTime || order.descending()) {
            throw new SqlException(order.location(), "an aggregate OVER a stream needs ORDER BY its event time "
                    + "ascending" + (eventTime ? ", not DESC" : scope.rowtimeColumn().isEmpty()
                    ? "; this input has no event time column" : ""), hint);
        }
    }
}
