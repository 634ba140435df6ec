package dev.sluice.runtime.expr;

import dev.sluice.runtime.plan.WindowSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The windows a row belongs to when a window table function's rows are read as they are
 * ({@code SELECT ... FROM TABLE(HOP(...))} without GROUP BY): Flink's window assignment, in Flink's
 * order, so the rows come out as the Flink oracle prints them. Windows are aligned to the epoch;
 * TUMBLE gives one window, HOP the {@code size / slide} windows holding the row from the latest
 * start back, CUMULATE the windows of the row's period whose end lies after it, shortest first.
 *
 * <p>The compiler reads the three columns (start, end, window_time = end - 1 ms) through the
 * internal call {@code $WINDOWS(time, 'KIND', size, advance, 'start'|'end'|'time')}, one
 * {@code EXPLODE} each, zipped by the explode step. The {@code $} keeps the name out of what a
 * user can call, so a user's function of the same name is never shadowed.
 */
public final class WindowAssignment {
    public static final String CALL = "$WINDOWS";

    private WindowAssignment() {
    }

    /** One bound of each window holding {@code time}: {@code part} is start, end or time. */
    public static List<Long> bounds(WindowSpec.Kind kind, long time, long size, long advance, String part) {
        List<long[]> windows = windows(kind, time, size, advance);
        List<Long> out = new ArrayList<>(windows.size());
        for (long[] w : windows) {
            out.add(switch (part.toLowerCase(Locale.ROOT)) {
                case "start" -> w[0];
                case "end" -> w[1];
                case "time" -> w[1] - 1;
                default -> throw new IllegalArgumentException("no window bound " + part);
            });
        }
        return out;
    }

    /** [start, end) of each window holding {@code time}, in Flink's order. */
    public static List<long[]> windows(WindowSpec.Kind kind, long time, long size, long advance) {
        List<long[]> out = new ArrayList<>();
        switch (kind) {
            case TUMBLE -> {
                long start = time - Math.floorMod(time, size);
                out.add(new long[] {start, start + size});
            }
            case HOP -> {
                // Flink's SlidingWindowAssigner: from the last start at or before the row, backwards.
                long last = time - Math.floorMod(time, advance);
                for (long start = last; start > time - size; start -= advance) {
                    out.add(new long[] {start, start + size});
                }
            }
            case CUMULATE -> {
                long period = time - Math.floorMod(time, size);
                for (long end = period + advance; end <= period + size; end += advance) {
                    if (end > time) {
                        out.add(new long[] {period, end});
                    }
                }
            }
            case SESSION -> throw new IllegalArgumentException("a session is known only when it closes");
        }
        return out;
    }

    /** The evaluator of {@code $WINDOWS(time, 'KIND', size, advance, part)}; NULL time, no windows. */
    static Evaluator compile(Expr.Call call, Evaluator time) {
        List<Expr> args = call.arguments();
        WindowSpec.Kind kind = WindowSpec.Kind.valueOf((String) ((Expr.Literal) args.get(1)).value());
        long size = ((Number) ((Expr.Literal) args.get(2)).value()).longValue();
        long advance = ((Number) ((Expr.Literal) args.get(3)).value()).longValue();
        String part = (String) ((Expr.Literal) args.get(4)).value();
        return row -> {
            Object t = time.evaluate(row);
            return t == null ? null : bounds(kind, ((Number) t).longValue(), size, advance, part);
        };
    }
}
