package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.ScalarType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))} and HOP/SESSION: the window is assigned by
 * the GROUP BY window_start, window_end that follows, so here the relation only gains the
 * window_start/window_end/window_time names (resolved by the aggregation planner).
 */
final class WindowTvfPlanner {
    private WindowTvfPlanner() {
    }

    static PlannedRelation plan(Relation.WindowTableFunction w, PlannedRelation input) {
        Scope scope = input.scope();
        GroupWindows.requireEventTime(scope, w.location());
        ScopeColumn time = scope.columns().get(scope.rowtimeColumn().getAsInt());
        if (!time.name().equalsIgnoreCase(w.timeColumn().value())) {
            // Nexmark q12: a window over a PROCTIME() column. Processing-time windows are refused on purpose:
            // their rows depend on how fast and when the input is read (a restart or a backlog regroups them),
            // where an event-time window gives the same rows every time (see docs/nexmark.md).
            throw new SqlException(w.timeColumn().location(), "windows group by event time, which is `" + time.name()
                    + "` here, not `" + w.timeColumn().value() + "` (Sluice has no processing-time windows: "
                    + "their rows would depend on when each record happened to be read)",
                    "window on the event time: DESCRIPTOR(`" + time.name() + "`)");
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
                Optional.of(new PlannedRelation.WindowTvf(kind, size, advance, start, start + 1)));
    }

    private static void need(Relation.WindowTableFunction w, List<?> args, int n) {
        if (args.size() != n) {
            throw new SqlException(w.location(), w.function() + " window table function expects " + n
                    + " interval argument" + (n > 1 ? "s" : ""));
        }
    }
}
