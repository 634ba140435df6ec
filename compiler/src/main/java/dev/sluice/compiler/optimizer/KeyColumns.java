package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamTableJoinStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which value columns a step's records are keyed (and partitioned) by, when that is known for
 * sure: position {@code i} of the answer is the value column equal to key part {@code i}.
 *
 * <p>Known only where Kafka Streams also treats the data as partitioned: after a repartition, a
 * non-windowed aggregation, filters, projections and INNER stream-table joins over those. A
 * windowed aggregation re-keys with {@code map} (Kafka Streams would repartition again), and an
 * outer join lets NULL-keyed rows bypass the repartition, so neither counts.
 */
final class KeyColumns {
    private KeyColumns() {
    }

    static Optional<List<Integer>> of(Step step) {
        if (step instanceof RekeyStep r) {
            return refs(r.keyExpressions());
        }
        if (step instanceof AggregateStep a && a.window().isEmpty()) {
            List<Integer> cols = new ArrayList<>();
            for (int i = 0; i < a.groupKeys().size(); i++) {
                cols.add(i);
            }
            return Optional.of(cols);
        }
        if (step instanceof FilterStep f) {
            return of(f.input());
        }
        if (step instanceof ProjectStep p) {
            return of(p.input()).flatMap(in -> {
                List<Integer> out = new ArrayList<>();
                for (int col : in) {
                    int at = p.expressions().indexOf(new Expr.InputRef(col, p.input().schema().type(col)));
                    if (at < 0) {
                        return Optional.empty();
                    }
                    out.add(at);
                }
                return Optional.of(out);
            });
        }
        if (step instanceof StreamTableJoinStep j && j.globalKey().isEmpty() && j.type() == JoinType.INNER) {
            return of(j.left());
        }
        return Optional.empty();
    }

    static Optional<List<Integer>> refs(List<Expr> exprs) {
        List<Integer> out = new ArrayList<>();
        for (Expr e : exprs) {
            if (!(e instanceof Expr.InputRef ref)) {
                return Optional.empty();
            }
            out.add(ref.index());
        }
        return Optional.of(out);
    }
}
