package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.serdes.row.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The per-partition work of a {@link RankStep}: keeping a partition's rows in rank order (ties in
 * arrival order, as Flink does), and reading off the ranked rows within the limit.
 */
public final class Ranking {
    private final RankStep step;
    private final int[] identity;
    /** Whether the input is a table, whose rows are retracted (by {@code identity}, or whole when it is empty). */
    private final boolean table;
    private final int width;
    /** For RUNNING: one accumulator factory per aggregate call, and each call's argument columns. */
    private final List<AccumulatorFactory> running;
    private final int[][] argumentColumns;

    public Ranking(RankStep step, int[] identity) {
        this(step, identity, List.of());
    }

    /** {@code running}: for a RUNNING step, the accumulators of its aggregate calls, in order. */
    public Ranking(RankStep step, int[] identity, List<AccumulatorFactory> running) {
        this.step = step;
        this.identity = identity;
        this.table = identity.length > 0 || step.input().shape() == dev.sluice.runtime.plan.Step.Shape.TABLE;
        this.width = step.input().schema().size();
        this.running = List.copyOf(running);
        this.argumentColumns = new int[step.running().size()][];
        for (int c = 0; c < argumentColumns.length; c++) {
            argumentColumns[c] = step.running().get(c).arguments().stream()
                    .mapToInt(a -> ((Expr.InputRef) a).index()).toArray();
        }
    }

    /**
     * The most rows a partition keeps, when bounded: a stream's ROW_NUMBER keeps at most its limit
     * (a row ranked out never comes back); empty for a table, RANK and DENSE_RANK (ties past the
     * limit) and RUNNING.
     */
    public OptionalLong maxKept() {
        return !table && step.function() == RankStep.Function.ROW_NUMBER
                ? OptionalLong.of(step.limit()) : OptionalLong.empty();
    }

    /**
     * Whether {@code change} (a stream's row, with its deleted flag) leaves a partition keeping
     * {@code kept} as it is, known without sorting it in: the partition is full ({@link #maxKept})
     * and the row ranks after its last kept row (a tie too: ties go in arrival order), so it would
     * be ranked out at once. Nexmark q19 and q9: most bids of a full partition (a top-10, a top-1).
     */
    public boolean rankedOutAtOnce(List<Row> kept, Row change) {
        OptionalLong max = maxKept();
        // not empty: a limit of 0 (a condition no rank meets) keeps nothing to compare with
        return max.isPresent() && !kept.isEmpty() && kept.size() >= max.getAsLong()
                && compare(kept.get(kept.size() - 1), change) <= 0;
    }

    /** Applies one change row (input columns, then a deleted flag) to {@code rows}, kept sorted. */
    public void apply(List<Row> rows, Row change) {
        Row row = new Row(Arrays.copyOf(change.toArray(), width));
        boolean deleted = Boolean.TRUE.equals(change.get(width));
        if (identity.length > 0) {
            rows.removeIf(r -> sameIdentity(r, row));
        } else if (table && deleted) {
            rows.remove(row); // a table row identified whole: its retraction removes one equal row
        }
        if (deleted) {
            return;
        }
        int at = rows.size();
        while (at > 0 && compare(rows.get(at - 1), row) > 0) {
            at--;
        }
        rows.add(at, row);
    }

    /** The output rows, in position order, of the rows ranked within the limit. */
    public List<Row> top(List<Row> rows) {
        if (step.function() == RankStep.Function.RUNNING) {
            return runningAggregates(rows);
        }
        List<Row> out = new ArrayList<>();
        long rank = 0;
        long dense = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean tied = i > 0 && compare(rows.get(i - 1), rows.get(i)) == 0;
            if (!tied) {
                rank = i + 1;
                dense++;
            }
            long value = switch (step.function()) {
                case ROW_NUMBER -> i + 1;
                case RANK -> rank;
                case DENSE_RANK -> dense;
                case RUNNING -> throw new IllegalStateException("RUNNING is not a ranking");
            };
            if (value > step.limit()) {
                break;
            }
            if (step.appendRank()) {
                Object[] withRank = Arrays.copyOf(rows.get(i).toArray(), width + 1);
                withRank[width] = value;
                out.add(new Row(withRank));
            } else {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    /**
     * Each row with its running aggregates: fed in order into fresh accumulators; a row's value is
     * read after its last peer (RANGE, the default frame) or after itself (ROWS). Ties are in
     * arrival order, so under ROWS their values depend on it, as in every engine.
     */
    private List<Row> runningAggregates(List<Row> rows) {
        if (!step.frame().unbounded()) {
            return slidingAggregates(rows, (int) Math.min(step.frame().preceding().getAsLong(), Integer.MAX_VALUE));
        }
        Accumulator[] accumulators = new Accumulator[running.size()];
        for (int c = 0; c < accumulators.length; c++) {
            accumulators[c] = running.get(c).create();
        }
        List<Row> out = new ArrayList<>(rows.size());
        int i = 0;
        while (i < rows.size()) {
            int end = i + 1;
            if (!step.frame().rows()) {
                while (end < rows.size() && compare(rows.get(end - 1), rows.get(end)) == 0) {
                    end++;
                }
            }
            for (int r = i; r < end; r++) {
                for (int c = 0; c < accumulators.length; c++) {
                    Object[] arguments = new Object[argumentColumns[c].length];
                    for (int a = 0; a < arguments.length; a++) {
                        arguments[a] = rows.get(r).get(argumentColumns[c][a]);
                    }
                    accumulators[c].add(arguments, 0L);
                }
            }
            Object[] values = new Object[accumulators.length];
            for (int c = 0; c < accumulators.length; c++) {
                values[c] = accumulators[c].result();
            }
            for (int r = i; r < end; r++) {
                Object[] withValues = Arrays.copyOf(rows.get(r).toArray(), width + values.length);
                System.arraycopy(values, 0, withValues, width, values.length);
                out.add(new Row(withValues));
            }
            i = end;
        }
        return out;
    }

    /**
     * Each row with the aggregates of itself and the {@code preceding} rows before it
     * ({@code ROWS BETWEEN n PRECEDING AND CURRENT ROW}): fresh accumulators per row, since most
     * aggregates (MIN, MAX) cannot take a row back out; n is small in practice (Nexmark q6: 10).
     */
    private List<Row> slidingAggregates(List<Row> rows, int preceding) {
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object[] withValues = Arrays.copyOf(rows.get(i).toArray(), width + running.size());
            for (int c = 0; c < running.size(); c++) {
                Accumulator accumulator = running.get(c).create();
                for (int r = Math.max(0, i - preceding); r <= i; r++) {
                    Object[] arguments = new Object[argumentColumns[c].length];
                    for (int a = 0; a < arguments.length; a++) {
                        arguments[a] = rows.get(r).get(argumentColumns[c][a]);
                    }
                    accumulator.add(arguments, 0L);
                }
                withValues[width + c] = accumulator.result();
            }
            out.add(new Row(withValues));
        }
        return out;
    }

    /**
     * What the store must keep: rows of a stream are never retracted, so a row ranked out can never
     * come back and is dropped; a table's rows are all kept.
     */
    public List<Row> retained(List<Row> rows) {
        if (table) {
            return rows;
        }
        int keep = top(rows).size();
        return new ArrayList<>(rows.subList(0, keep));
    }

    private boolean sameIdentity(Row a, Row b) {
        for (int i : identity) {
            if (!java.util.Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    public int compare(Row a, Row b) {
        for (RankStep.SortKey key : step.orderBy()) {
            Object x = a.get(key.column());
            Object y = b.get(key.column());
            if (x == null || y == null) {
                if (x != y) {
                    // NULLS FIRST/LAST is where NULLs end up, whatever the direction.
                    return (x == null) == key.nullsFirst() ? -1 : 1;
                }
                continue;
            }
            int c = compareValues(x, y);
            if (c != 0) {
                return key.descending() ? -c : c;
            }
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }
}
