package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.WindowClause;
import dev.sluice.runtime.plan.WindowSpec;

import java.util.Locale;

/**
 * The three window syntaxes (Flink group windows, window TVFs, ksqlDB WINDOW) become one
 * {@link WindowSpec}. Grace comes from the source's watermark so a window closes exactly when
 * Flink's would: Flink fires a time window when watermark = maxTs - delay reaches end - 1 ms, and
 * Kafka Streams closes it when streamTime reaches end + grace, hence grace = delay - 1 ms; for
 * sessions the boundaries differ by one more millisecond (grace = delay - 2 ms). No watermark:
 * grace 0. EMIT AFTER WATERMARK + d adds d.
 */
final class GroupWindows {
    private GroupWindows() {
    }

    static WindowSpec fromGroupWindow(FunctionCall f, Scope scope, dev.sluice.runtime.plan.Step input,
                                      long extraGrace) {
        String kind = f.simpleName().toUpperCase(Locale.ROOT);
        if (!f.arguments().isEmpty() && f.arguments().get(0) instanceof Expression.ColumnRef ref
                && isProcessingTime(scope, input, ref.last())) {
            return processingTimeGroupWindow(f, kind, extraGrace);
        }
        checkTimeColumn(f, scope);
        return switch (kind) {
            case "TUMBLE" -> {
                arity(f, 2, "TUMBLE(time_column, size)");
                long size = interval(f.arguments().get(1));
                yield new WindowSpec(WindowSpec.Kind.TUMBLE, size, size, timeGrace(scope) + extraGrace);
            }
            case "HOP" -> {
                // Flink's order: HOP(time, slide, size)
                arity(f, 3, "HOP(time_column, slide, size)");
                long slide = interval(f.arguments().get(1));
                long size = interval(f.arguments().get(2));
                if (slide <= 0 || slide > size) {
                    throw new SqlException(f.location(), "HOP slide must be positive and not larger than its size");
                }
                yield new WindowSpec(WindowSpec.Kind.HOP, size, slide, timeGrace(scope) + extraGrace);
            }
            case "SESSION" -> {
                arity(f, 2, "SESSION(time_column, gap)");
                long gap = interval(f.arguments().get(1));
                yield new WindowSpec(WindowSpec.Kind.SESSION, gap, gap, sessionGrace(scope) + extraGrace);
            }
            default -> throw new SqlException(f.location(), "not supported yet: " + kind + " group windows");
        };
    }

    /** {@code TUMBLE(p_time, size)}, {@code HOP(p_time, slide, size)} over a PROCTIME() column. */
    private static WindowSpec processingTimeGroupWindow(FunctionCall f, String kind, long extraGrace) {
        if (extraGrace > 0) {
            throw new SqlException(f.location(), "a window over processing time has no watermark to wait after",
                    "drop EMIT AFTER WATERMARK: the window closes when the wall clock passes its end");
        }
        return switch (kind) {
            case "TUMBLE" -> {
                arity(f, 2, "TUMBLE(time_column, size)");
                long size = interval(f.arguments().get(1));
                yield WindowSpec.processingTime(WindowSpec.Kind.TUMBLE, size, size);
            }
            case "HOP" -> {
                arity(f, 3, "HOP(time_column, slide, size)");
                long slide = interval(f.arguments().get(1));
                long size = interval(f.arguments().get(2));
                if (slide > size) {
                    throw new SqlException(f.location(), "HOP slide must be positive and not larger than its size");
                }
                yield WindowSpec.processingTime(WindowSpec.Kind.HOP, size, slide);
            }
            default -> throw new SqlException(f.location(), "not supported yet: " + kind
                    + " windows over processing time", "window the event time, or use TUMBLE or HOP");
        };
    }

    /**
     * Whether the column named {@code name} (a window's time column) is a processing-time attribute
     * of {@code input}'s rows, as {@link ProcessingTimeColumns} says.
     */
    static boolean isProcessingTime(Scope scope, dev.sluice.runtime.plan.Step input, String name) {
        return scope.columns().stream().filter(c -> !c.hidden() && c.name().equalsIgnoreCase(name)).findFirst()
                .map(c -> ProcessingTimeColumns.isAttribute(input, c.index())).orElse(false);
    }

    static WindowSpec fromTvf(PlannedRelation.WindowTvf tvf, Scope scope, long extraGrace,
                              dev.sluice.grammar.ast.NodeLocation at) {
        if (tvf.processingTime()) {
            if (extraGrace > 0) {
                throw new SqlException(at, "a window over processing time has no watermark to wait after: "
                        + "drop EMIT AFTER WATERMARK");
            }
            return WindowSpec.processingTime(tvf.kind(), tvf.sizeMs(), tvf.advanceMs());
        }
        long grace = tvf.kind() == WindowSpec.Kind.SESSION ? sessionGrace(scope) : timeGrace(scope);
        return new WindowSpec(tvf.kind(), tvf.sizeMs(), tvf.advanceMs(), grace + extraGrace);
    }

    static WindowSpec fromKsql(WindowClause w, Scope scope, long extraGrace) {
        requireEventTime(scope, w.location());
        long size = Intervals.millis(w.size());
        return switch (w.kind()) {
            case TUMBLING -> new WindowSpec(WindowSpec.Kind.TUMBLE, size, size,
                    w.grace().map(Intervals::millis).orElse(timeGrace(scope)) + extraGrace);
            case HOPPING -> new WindowSpec(WindowSpec.Kind.HOP, size,
                    w.advance().map(Intervals::millis).orElseThrow(() -> new SqlException(w.location(),
                            "HOPPING needs ADVANCE BY")),
                    w.grace().map(Intervals::millis).orElse(timeGrace(scope)) + extraGrace);
            case SESSION -> new WindowSpec(WindowSpec.Kind.SESSION, size, size,
                    w.grace().map(Intervals::millis).orElse(sessionGrace(scope)) + extraGrace);
        };
    }

    static long timeGrace(Scope scope) {
        return scope.watermarkDelayMs().isPresent() ? Math.max(scope.watermarkDelayMs().getAsLong() - 1, 0) : 0;
    }

    static long sessionGrace(Scope scope) {
        return scope.watermarkDelayMs().isPresent() ? Math.max(scope.watermarkDelayMs().getAsLong() - 2, 0) : 0;
    }

    static long interval(Expression e) {
        if (e instanceof Expression.IntervalLiteral i) {
            long ms = Intervals.millis(i);
            if (ms <= 0) {
                throw new SqlException(e.location(), "a window size must be positive");
            }
            return ms;
        }
        throw new SqlException(e.location(), "expected an INTERVAL constant such as INTERVAL '5' MINUTE");
    }

    private static void arity(FunctionCall f, int n, String usage) {
        if (f.arguments().size() != n) {
            throw new SqlException(f.location(), "expected " + usage);
        }
    }

    /** Kafka Streams windows by record time, which Sluice sets from the source's event-time column. */
    static void checkTimeColumn(FunctionCall f, Scope scope) {
        requireEventTime(scope, f.location());
        if (f.arguments().isEmpty() || !(f.arguments().get(0) instanceof Expression.ColumnRef ref)) {
            throw new SqlException(f.location(), f.simpleName() + "'s first argument must be the event-time column");
        }
        ScopeColumn time = scope.columns().get(scope.rowtimeColumn().getAsInt());
        if (!ref.last().equalsIgnoreCase(time.name())) {
            throw new SqlException(ref.location(), "windows group by event time, which is `" + time.name()
                    + "` here, not `" + ref.last() + "`", "write " + f.simpleName() + "(" + time.name() + ", ...)");
        }
    }

    static void requireEventTime(Scope scope, dev.sluice.grammar.ast.NodeLocation at) {
        if (scope.rowtimeColumn().isEmpty()) {
            throw new SqlException(at, "a window needs event time, and this input has none",
                    "declare the time column with ROWTIME or WATERMARK FOR ... in CREATE STREAM");
        }
    }
}
