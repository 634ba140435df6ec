package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ksqlDB's PARTITION BY of a record without a value (a tombstone): a key expression that reads only
 * the source's KEY columns (or no column at all) is computed from the record key, so the tombstone
 * keeps its computed key; any other expression gives NULL, as it would read the missing value.
 */
final class TombstoneKeys {
    private TombstoneKeys() {
    }

    /**
     * The tombstone key expressions over the record key of the stream {@code input} reads, or empty
     * when its record key is not the source's KEY columns (only filters may sit between them).
     */
    static List<Expr> of(Step input, List<Expr> keyExpressions) {
        Optional<SourceStep> source = keyedSource(input);
        if (source.isEmpty()) {
            return List.of();
        }
        List<Integer> keyColumns = source.get().recordKeyColumns();
        List<Expr> out = new ArrayList<>();
        for (Expr e : keyExpressions) {
            out.add(readsOnly(e, keyColumns) ? overKey(e, keyColumns) : new Expr.Literal(null, e.type()));
        }
        return out;
    }

    private static Optional<SourceStep> keyedSource(Step step) {
        while (step instanceof FilterStep f) {
            step = f.input();
        }
        return step instanceof SourceStep s ? Optional.of(s) : Optional.empty();
    }

    private static boolean readsOnly(Expr e, List<Integer> keyColumns) {
        if (e instanceof Expr.InputRef r) {
            return keyColumns.contains(r.index());
        }
        return !(e instanceof Expr.Call c) || c.arguments().stream().allMatch(a -> readsOnly(a, keyColumns));
    }

    /** The expression with each column read moved to that column's place in the record key. */
    private static Expr overKey(Expr e, List<Integer> keyColumns) {
        if (e instanceof Expr.InputRef r) {
            return new Expr.InputRef(keyColumns.indexOf(r.index()), r.type());
        }
        return e instanceof Expr.Call c ? new Expr.Call(c.function(), c.arguments().stream()
                .map(a -> overKey(a, keyColumns)).toList(), c.type()) : e;
    }
}
