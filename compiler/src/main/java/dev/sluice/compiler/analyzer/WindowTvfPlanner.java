package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.WindowAssignment;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))} and HOP/CUMULATE/SESSION. Followed by
 * GROUP BY window_start, window_end, the window is assigned by that aggregation, so here the
 * relation only gains the window_start/window_end/window_time names (resolved by the aggregation
 * planner). Read otherwise (a projection, a filter, a join side), the rows are
 * {@linkplain #materialize materialized}: each row once per window holding it, with the three
 * columns, as Flink's window table function gives them.
 */
final class WindowTvfPlanner {
    private WindowTvfPlanner() {
    }

    static PlannedRelation plan(Relation.WindowTableFunction w, PlannedRelation input) {
        Scope scope = input.scope();
        boolean processingTime = GroupWindows.isProcessingTime(scope, input.step(), w.timeColumn().value());
        if (!processingTime) {
            GroupWindows.requireEventTime(scope, w.location());
            ScopeColumn time = scope.columns().get(scope.rowtimeColumn().getAsInt());
            if (!time.name().equalsIgnoreCase(w.timeColumn().value())) {
                throw new SqlException(w.timeColumn().location(), "windows group by event time, which is `"
                        + time.name() + "` here, or by processing time (a PROCTIME() column), not `"
                        + w.timeColumn().value() + "`", "window on the event time: DESCRIPTOR(`" + time.name() + "`)");
            }
        }
        String fn = w.function().toUpperCase(Locale.ROOT);
        List<dev.sluice.grammar.ast.Expression> args = w.arguments();
        WindowSpec.Kind kind;
        long size;
        long advance;
        switch (fn) {
            case "TUMBLE" -> {
                need(w, args, 1);
                kind = WindowSpec.Kind.TUMBLE;
                size = GroupWindows.interval(args.get(0));
                advance = size;
            }
            case "HOP" -> {
                // Flink: HOP(TABLE t, DESCRIPTOR(ts), slide, size)
                need(w, args, 2);
                kind = WindowSpec.Kind.HOP;
                advance = GroupWindows.interval(args.get(0));
                size = GroupWindows.interval(args.get(1));
            }
            case "CUMULATE" -> {
                // Flink: CUMULATE(TABLE t, DESCRIPTOR(ts), step, max size)
                need(w, args, 2);
                kind = WindowSpec.Kind.CUMULATE;
                advance = GroupWindows.interval(args.get(0));
                size = GroupWindows.interval(args.get(1));
                if (size % advance != 0) {
                    throw new SqlException(w.location(), "CUMULATE's max size must be a multiple of its step");
                }
            }
            case "SESSION" -> {
                need(w, args, 1);
                if (processingTime) {
                    throw new SqlException(w.location(), "not supported yet: SESSION windows over processing time",
                            "window the event time, or use TUMBLE, HOP or CUMULATE over the PROCTIME() column");
                }
                if (!w.partitionKeys().isEmpty()) {
                    throw new SqlException(w.location(), "not supported yet: PARTITION BY inside SESSION(...)",
                            "group by the partition keys in GROUP BY instead");
                }
                kind = WindowSpec.Kind.SESSION;
                size = GroupWindows.interval(args.get(0));
                advance = size;
            }
            default -> throw new SqlException(w.location(), "not supported yet: " + fn + " window table function");
        }
        List<ScopeColumn> cols = new ArrayList<>(scope.columns());
        int start = cols.size();
        String alias = w.alias().map(a -> a.value()).orElse(null);
        cols.add(new ScopeColumn(Optional.ofNullable(alias), "window_start", ScalarType.TIMESTAMP, start, true));
        cols.add(new ScopeColumn(Optional.ofNullable(alias), "window_end", ScalarType.TIMESTAMP, start + 1, true));
        Scope extended = new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs());
        return new PlannedRelation(input.step(), extended,
                Optional.of(new PlannedRelation.WindowTvf(kind, size, advance, start, start + 1, processingTime)));
    }

    /**
     * The window table function's own rows: every input row once per window it belongs to, with
     * window_start, window_end and window_time (end - 1 ms) appended as real, selectable columns.
     * Like Flink's, no row is dropped as late here (only an aggregation or a join over windows
     * closes them), and event time stays the input's. A session is known only when it closes, so
     * SESSION needs its GROUP BY.
     */
    static PlannedRelation materialize(PlannedRelation tvf, Relation location, StepNames names) {
        PlannedRelation.WindowTvf w = tvf.windowTvf().orElseThrow();
        if (w.processingTime()) {
            // a row's processing-time window is the wall clock of the aggregate that counts it: read
            // without one, the window would be a value computed elsewhere, at another time
            throw new SqlException(location.location(), "a window over processing time (a PROCTIME() column) needs "
                    + "GROUP BY window_start, window_end: its rows are assigned to windows when an aggregate "
                    + "processes them", "aggregate it: ... GROUP BY window_start, window_end, ...");
        }
        if (w.kind() == WindowSpec.Kind.SESSION) {
            throw new SqlException(location.location(), "a SESSION window table function needs GROUP BY "
                    + "window_start, window_end: a row's session is known only when the session closes",
                    "aggregate it: ... FROM TABLE(SESSION(...)) GROUP BY window_start, window_end, ...");
        }
        Scope scope = tvf.scope();
        // The two names the TVF added are the scope's last entries (positions, not row indexes:
        // hidden pseudo columns may share a row index); the new columns follow the step's row.
        int width = tvf.step().schema().size();
        ScopeColumn time = scope.columns().stream().filter(c -> c.index() == scope.rowtimeColumn().getAsInt())
                .findFirst().orElseThrow();
        Optional<String> alias = scope.columns().get(w.windowStartColumn()).relation();
        // TABLE(TUMBLE(TABLE s, ...)) AS t names every column t, as a window join's ON writes them.
        List<ScopeColumn> cols = new ArrayList<>(scope.columns().subList(0, w.windowStartColumn()).stream()
                .map(c -> alias.isEmpty() ? c : new ScopeColumn(alias, c.name(), c.type(), c.index(), c.hidden()))
                .toList());
        List<Column> schema = new ArrayList<>(tvf.step().schema().columns());
        List<ExplodeStep.TableFunctionCall> calls = new ArrayList<>();
        String[] names3 = {"window_start", "window_end", "window_time"};
        String[] parts = {"start", "end", "time"};
        for (int i = 0; i < 3; i++) {
            Expr bounds = new Expr.Call(WindowAssignment.CALL, List.of(new Expr.InputRef(time.index(), time.type()),
                    new Expr.Literal(w.kind().name(), ScalarType.VARCHAR), new Expr.Literal(w.sizeMs(), ScalarType.BIGINT),
                    new Expr.Literal(w.advanceMs(), ScalarType.BIGINT), new Expr.Literal(parts[i], ScalarType.VARCHAR)),
                    new ArrayType(ScalarType.TIMESTAMP));
            calls.add(new ExplodeStep.TableFunctionCall(ExplodeStep.TableFunction.EXPLODE, bounds));
            schema.add(new Column(names3[i], ScalarType.TIMESTAMP, false));
            cols.add(new ScopeColumn(alias, names3[i], ScalarType.TIMESTAMP, width + i, false));
        }
        Step step = new ExplodeStep(names.name("window-rows"), tvf.step(), calls, new Schema(schema));
        return new PlannedRelation(step, new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs()));
    }

    /** Whether the rows of {@code step} went through {@link #materialize} (their window columns are plain columns). */
    static boolean hasMaterializedWindows(Step step) {
        return span(step).isPresent();
    }

    /**
     * A window join: both sides are materialized window rows and the ON condition equates both
     * sides' window_start and window_end. Then the longest window either side assigns (the span
     * two rows of one window can lie apart in event time); otherwise empty.
     */
    static OptionalLong windowJoinSpan(Step left, Scope leftScope, List<Expr> leftKeys, Step right, Scope rightScope,
                                       List<Expr> rightKeys) {
        OptionalLong leftSpan = span(left);
        OptionalLong rightSpan = span(right);
        if (leftSpan.isEmpty() || rightSpan.isEmpty()) {
            return OptionalLong.empty();
        }
        boolean starts = false;
        boolean ends = false;
        for (int i = 0; i < leftKeys.size(); i++) {
            String l = columnName(leftKeys.get(i), leftScope);
            String r = columnName(rightKeys.get(i), rightScope);
            starts |= "window_start".equals(l) && "window_start".equals(r);
            ends |= "window_end".equals(l) && "window_end".equals(r);
        }
        return starts && ends ? OptionalLong.of(Math.max(leftSpan.getAsLong(), rightSpan.getAsLong()))
                : OptionalLong.empty();
    }

    private static String columnName(Expr e, Scope scope) {
        if (!(e instanceof Expr.InputRef ref)) {
            return null;
        }
        return scope.columns().stream().filter(c -> c.index() == ref.index() && !c.hidden())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).findFirst().orElse(null);
    }

    /** The longest window of the materialized window rows under {@code step}, if any. */
    private static OptionalLong span(Step step) {
        if (step instanceof ExplodeStep e) {
            for (ExplodeStep.TableFunctionCall c : e.calls()) {
                if (c.argument() instanceof Expr.Call call && call.function().equals(WindowAssignment.CALL)) {
                    return OptionalLong.of(((Number) ((Expr.Literal) call.arguments().get(2)).value()).longValue());
                }
            }
        }
        OptionalLong longest = OptionalLong.empty();
        for (Step input : step.inputs()) {
            OptionalLong s = span(input);
            if (s.isPresent() && (longest.isEmpty() || s.getAsLong() > longest.getAsLong())) {
                longest = s;
            }
        }
        return longest;
    }

    private static void need(Relation.WindowTableFunction w, List<?> args, int n) {
        if (args.size() != n) {
            throw new SqlException(w.location(), w.function() + " window table function expects " + n
                    + " interval argument" + (n > 1 ? "s" : ""));
        }
    }
}
