package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.runtime.plan.Step;

import java.util.Locale;
import java.util.Optional;

/**
 * What Sluice does not do yet with a window table function's own rows (see
 * {@link WindowTvfPlanner#materialize}), refused at the line rather than given other answers than
 * Flink's. Flink turns a ranking partitioned by the window bounds into a window Top-N (or window
 * deduplication) whose rows are final and emitted once when the window closes; Sluice would rank
 * them as a continuous Top-N, an updating table with retractions. And a GROUP BY of the bounds
 * downstream of those rows is Flink's window aggregation, where Sluice would group them as plain
 * timestamps, again an updating table instead of one final row per window.
 */
final class WindowTvfRows {
    private WindowTvfRows() {
    }

    /** A ROW_NUMBER/RANK partitioned by window_start or window_end over the TVF's rows. */
    static void refuseWindowRanking(QueryBody.Select select) {
        AstWalker.walk(select.items(), n -> true, n -> {
            if (WindowFunctionPlanner.isWindowCall(n)) {
                Expression.FunctionCall call = (Expression.FunctionCall) n;
                Expression.Over over = call.over().get();
                if (over.partitionBy().stream().anyMatch(WindowTvfRows::isWindowBound)) {
                    throw new SqlException(call.location(), "not supported yet: window Top-N or window "
                            + "deduplication (a ranking partitioned by window_start/window_end over a window table "
                            + "function's rows)", "rank the rows of a window aggregate instead: "
                            + "FROM (SELECT window_start, window_end, ..., agg(...) FROM TABLE(TUMBLE(...)) "
                            + "GROUP BY window_start, window_end, ...)");
                }
            }
        });
    }

    /** GROUP BY window_start/window_end over rows that already went through the window table function. */
    static void refuseGroupingByMaterializedWindows(QueryBody.Select select, Step input) {
        Optional<Expression> bound = select.groupBy().stream().filter(WindowTvfRows::isWindowBound).findFirst();
        if (bound.isPresent() && WindowTvfPlanner.hasMaterializedWindows(input)) {
            throw new SqlException(bound.get().location(), "not supported yet: GROUP BY the window bounds of a window "
                    + "table function's rows read through a subquery or a join",
                    "write the GROUP BY directly over the function: FROM TABLE(TUMBLE(...)) GROUP BY window_start, "
                            + "window_end, ...");
        }
    }

    /**
     * Before a window aggregation the window bounds are not columns of the rows yet: the
     * aggregation assigns them. So WHERE cannot read them, and GROUP BY takes them only as they
     * are (found by {@code sluice fuzz}: such a reference reached the plan as a column past the
     * row's end, an internal error). {@code clause}: where the expression stands.
     */
    static void refuseBoundsInsideExpressions(Expression e, String clause) {
        if (clause.equals("GROUP BY") && isWindowBound(e)) {
            return;
        }
        AstWalker.walk(e, n -> true, n -> {
            if (n instanceof Expression expression && isWindowBound(expression)) {
                throw new SqlException(expression.location(), "not supported yet: " + clause + " reading `"
                        + ((Expression.ColumnRef) expression).last() + "` of a window aggregation: the window "
                        + "bounds exist only after the rows are grouped into windows",
                        clause.equals("WHERE") ? "filter on them in HAVING, or on the event time in WHERE"
                                : "GROUP BY window_start, window_end as they are, and compute with them in SELECT");
            }
        });
    }

    private static boolean isWindowBound(Expression e) {
        if (!(e instanceof Expression.ColumnRef ref)) {
            return false;
        }
        String name = ref.last().toLowerCase(Locale.ROOT);
        return name.equals("window_start") || name.equals("window_end") || name.equals("window_time");
    }
}
