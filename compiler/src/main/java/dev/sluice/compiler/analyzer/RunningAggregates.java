package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.OverFrame;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Aggregates as window functions: {@code SUM(x) OVER (PARTITION BY p ORDER BY t)} gives each row
 * the aggregate of its partition's rows up to it (up to its last peer by default, the SQL frame
 * {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}; up to itself with {@code ROWS ...}).
 *
 * <p>Over a table (a CDC table, a pull query's snapshot) this is a {@link RankStep} of function
 * RUNNING: each partition's rows kept in order, and a change re-emits the rows whose running value
 * changed, so the answer is the batch answer (PostgreSQL's) for the current rows and is kept
 * current. Flink refuses an OVER aggregate over updating input and one not ordered by a time
 * attribute; Sluice answers it, as the retracting ranking does. Frames: from the partition's start
 * or {@code ROWS n PRECEDING}. Over a stream this is Flink's OVER aggregation, ordered by event time
 * and emitting each row once under the watermark ({@link StreamOverAggregates}).
 */
final class RunningAggregates {
    static final List<String> SUPPORTED = List.of("SUM", "COUNT", "AVG", "MIN", "MAX");

    private RunningAggregates() {
    }

    static WindowFunctionPlanner.Planned plan(Step input, Scope scope, ExpressionAnalyzer analyzer,
                                              Expression.Over over, List<FunctionCall> calls,
                                              Map<FunctionCall, Expr> resolved, StepNames names,
                                              dev.sluice.runtime.function.FunctionCatalog functions) {
        OverFrame frame = frame(over, analyzer);
        if (input.shape() != Step.Shape.TABLE) {
            return StreamOverAggregates.plan(input, scope, analyzer, over, calls, resolved, names, functions, frame);
        }
        if (!frame.rows() && !frame.unbounded()) {
            throw new SqlException(over.location(), "not supported yet: RANGE ... PRECEDING "
                    + "with an offset over a table", "write ROWS BETWEEN n PRECEDING AND CURRENT ROW, or aggregate "
                    + "the stream before it becomes a table");
        }
        WindowFunctionPlanner.Prepared prepared = new WindowFunctionPlanner.Prepared(scope);
        List<Integer> partition = prepared.partitionColumns(over.partitionBy(), analyzer);
        List<RankStep.SortKey> order = new ArrayList<>();
        for (SortItem s : over.orderBy()) {
            Expr e = analyzer.analyze(s.key());
            int column = e instanceof Expr.InputRef ref ? ref.index() : prepared.append(e, "ORDER$");
            order.add(new RankStep.SortKey(column, s.descending(), s.nullsFirst().orElse(s.descending())));
        }
        List<AggregateCall> aggregates = new ArrayList<>();
        for (FunctionCall f : calls) {
            aggregates.add(call(f, analyzer, prepared, functions));
        }
        Step prepare = prepared.expressions.size() == scope.size() ? input
                : new ProjectStep(names.name("over-prepare"), input, prepared.expressions, prepared.schema());
        List<Column> key = new ArrayList<>();
        for (int i = 0; i < partition.size(); i++) {
            Column column = prepared.columns.get(partition.get(i));
            key.add(new Column(column.name().startsWith("PARTITION$") ? "partition_" + (i + 1) : column.name(),
                    column.type()));
        }
        key.add(new Column("position", ScalarType.BIGINT));
        OverResults results = OverResults.append(prepared, calls, aggregates, resolved);
        List<Column> out = results.columns();
        List<ScopeColumn> cols = results.scope();
        Step step = new RankStep(names.name("over"), prepare, RankStep.Function.RUNNING, partition, order,
                Long.MAX_VALUE, true, new Schema(key), new Schema(out), aggregates, frame);
        return new WindowFunctionPlanner.Planned(step, new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs(),
                scope.windowBounds()), e -> Optional.empty());
    }

    /**
     * The frame: from the partition's start or n rows / an interval back, to the current row (the
     * default without a frame clause is SQL's {@code RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}).
     */
    static OverFrame frame(Expression.Over over, ExpressionAnalyzer analyzer) {
        if (over.frame().isEmpty()) {
            return OverFrame.RANGE_UNBOUNDED;
        }
        Expression.WindowFrame frame = over.frame().get();
        boolean rows = frame.unit().equalsIgnoreCase("ROWS");
        boolean toRow = frame.end().isEmpty() || frame.end().get().kind().equals("CURRENT_ROW");
        Expression.FrameBound start = frame.start();
        if (!toRow || !(start.kind().equals("UNBOUNDED_PRECEDING") || start.kind().equals("PRECEDING")
                || start.kind().equals("CURRENT_ROW"))) {
            throw new SqlException(over.location(), "not supported yet: a frame that does not end at the current "
                    + "row", "write " + frame.unit().toUpperCase(Locale.ROOT) + " BETWEEN ... PRECEDING AND CURRENT ROW");
        }
        if (start.kind().equals("UNBOUNDED_PRECEDING")) {
            return new OverFrame(rows, OptionalLong.empty());
        }
        if (start.kind().equals("CURRENT_ROW")) {
            return new OverFrame(rows, OptionalLong.of(0));
        }
        Expression offset = start.offset().orElseThrow();
        if (rows) {
            Expr n = analyzer.analyze(offset);
            if (!(n instanceof Expr.Literal l) || !(l.value() instanceof Number number)
                    || !(number instanceof Long || number instanceof Integer) || number.longValue() < 0) {
                throw new SqlException(offset.location(), "ROWS ... PRECEDING needs a non-negative integer constant",
                        "e.g. ROWS BETWEEN 10 PRECEDING AND CURRENT ROW");
            }
            return new OverFrame(true, OptionalLong.of(number.longValue()));
        }
        if (!(offset instanceof Expression.IntervalLiteral interval)) {
            throw new SqlException(offset.location(), "RANGE ... PRECEDING needs an interval constant over a time "
                    + "order", "e.g. RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW");
        }
        long millis = Intervals.millis(interval);
        if (millis < 0) {
            throw new SqlException(offset.location(), "RANGE ... PRECEDING needs a non-negative interval");
        }
        return new OverFrame(false, OptionalLong.of(millis));
    }

    static AggregateCall call(FunctionCall f, ExpressionAnalyzer analyzer, WindowFunctionPlanner.Prepared prepared,
                                      dev.sluice.runtime.function.FunctionCatalog functions) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        if (f.distinct() || f.filter().isPresent() || !f.orderBy().isEmpty() || f.arguments().size() > 1) {
            throw new SqlException(f.location(), "not supported yet: " + name + " OVER (...) with DISTINCT, FILTER, "
                    + "ORDER BY or more than one argument");
        }
        AggregateFunction fn = functions.aggregate(name).orElseThrow();
        List<Expr> args = new ArrayList<>();
        for (Expression a : f.arguments()) {
            Expr e = analyzer.analyze(a);
            int column = e instanceof Expr.InputRef ref ? ref.index() : prepared.append(e, "ARG$");
            args.add(new Expr.InputRef(column, e.type()));
        }
        SqlType type;
        try {
            type = fn.returnType(args);
        } catch (FunctionException e) {
            throw new SqlException(f.location(), e.getMessage());
        }
        return new AggregateCall(fn.name(), args, false, Optional.empty(), List.of(), type);
    }
}
