package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of a WHERE or QUALIFY condition that the rows of its input can fail, given the columns
 * that input holds as constants. The case it exists for: a deduplication ({@code ROW_NUMBER() ...
 * WHERE rn = 1}, or {@code rn <= 1}) projects its rank as the constant 1, so the condition that
 * chose the deduplication is true of every row it keeps. A filter over a table is not free: it asks
 * its parent table for each key's old row (to send a deletion only for a row that was there), which
 * the record cache reads from RocksDB at every flush (Nexmark q18: ~5 % of the stream thread).
 * The same holds for a Top-N's rank kept in the output ({@code WHERE rn <= 10}, Nexmark q19, or
 * {@code rn <= 1}, q9): the ranking keeps only ranks from 1 to its limit, the limit the condition set.
 *
 * <p>Only conjuncts that compare two integers known to lie in fixed bounds (constants, after the
 * input's constant columns are put in, and a ranking's appended rank: 1 to its limit) are decided
 * here, when every value in those bounds satisfies them; anything else stays in the condition as it was.
 */
final class AlwaysTrueConditions {
    private AlwaysTrueConditions() {
    }

    /**
     * {@code condition} without its conjuncts that are true of every row of {@code input}; empty when
     * all of them are (the filter can go).
     */
    static Optional<Expr> remaining(Expr condition, Step input) {
        List<Expr> conjuncts = condition instanceof Expr.Call c && c.function().equals("AND")
                ? c.arguments() : List.of(condition);
        List<Expr> kept = new ArrayList<>();
        for (Expr conjunct : conjuncts) {
            if (!alwaysTrue(conjunct, input)) {
                kept.add(conjunct);
            }
        }
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        if (kept.size() == conjuncts.size()) {
            return Optional.of(condition);
        }
        return Optional.of(kept.size() == 1 ? kept.get(0) : new Expr.Call("AND", kept, condition.type()));
    }

    private static boolean alwaysTrue(Expr conjunct, Step input) {
        if (!(conjunct instanceof Expr.Call c) || c.arguments().size() != 2) {
            return false;
        }
        Optional<Bounds> left = bounds(c.arguments().get(0), input);
        Optional<Bounds> right = bounds(c.arguments().get(1), input);
        if (left.isEmpty() || right.isEmpty()) {
            return false;
        }
        Bounds l = left.get();
        Bounds r = right.get();
        return switch (c.function()) {
            case "=" -> l.constant() && r.constant() && l.low() == r.low();
            case "<>", "!=" -> l.high() < r.low() || r.high() < l.low();
            case "<" -> l.high() < r.low();
            case "<=" -> l.high() <= r.low();
            case ">" -> l.low() > r.high();
            case ">=" -> l.low() >= r.high();
            default -> false;
        };
    }

    /** The inclusive bounds of a non-NULL integer value. */
    private record Bounds(long low, long high) {
        boolean constant() {
            return low == high;
        }
    }

    /**
     * Bounds of {@code e} in every row of {@code input}, when it is a non-NULL integer known to lie
     * in them: a constant, or the rank a ranking appends (never NULL, from 1 to the ranking's limit).
     */
    private static Optional<Bounds> bounds(Expr e, Step input) {
        if (e instanceof Expr.InputRef ref) {
            if (input instanceof RankStep rank && rank.appendRank() && rank.function() != RankStep.Function.RUNNING
                    && ref.index() == rank.input().schema().size()) {
                return Optional.of(new Bounds(1, rank.limit()));
            }
            return column(input, ref.index()).flatMap(c -> bounds(c.expression(), c.step()));
        }
        if (e instanceof Expr.Literal l && (l.value() instanceof Long || l.value() instanceof Integer
                || l.value() instanceof Short || l.value() instanceof Byte)) {
            long value = ((Number) l.value()).longValue();
            return Optional.of(new Bounds(value, value));
        }
        return Optional.empty();
    }

    /** A column's expression and the step whose rows it reads, through projections and filters. */
    private record Column(Expr expression, Step step) {
    }

    private static Optional<Column> column(Step step, int index) {
        if (step instanceof FilterStep f) {
            return column(f.input(), index);
        }
        if (step instanceof ProjectStep p && index < p.expressions().size()) {
            return Optional.of(new Column(p.expressions().get(index), p.input()));
        }
        return Optional.empty();
    }
}
