package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
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
        return step.accept(Visitor.INSTANCE);
    }

    private static final class Visitor implements StepVisitor<Optional<List<Integer>>> {
        static final Visitor INSTANCE = new Visitor();

        @Override
        public Optional<List<Integer>> visitSource(SourceStep s) {
            return Optional.empty(); // a topic's partitioning is whatever its producer chose
        }

        @Override
        public Optional<List<Integer>> visitTableSource(TableSourceStep t) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitFilter(FilterStep f) {
            return of(f.input());
        }

        @Override
        public Optional<List<Integer>> visitProject(ProjectStep p) {
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

        @Override
        public Optional<List<Integer>> visitRekey(RekeyStep r) {
            // a re-key in the task leaves the rows where they were: not partitioned by the new key
            return r.local() ? Optional.empty() : refs(r.keyExpressions());
        }

        @Override
        public Optional<List<Integer>> visitAggregate(AggregateStep a) {
            if (a.window().isPresent() || a.input() instanceof RekeyStep r && r.local()) {
                return Optional.empty(); // grouped in the task its input's partitioning chose
            }
            List<Integer> cols = new ArrayList<>();
            for (int i = 0; i < a.groupKeys().size(); i++) {
                cols.add(i);
            }
            return Optional.of(cols);
        }

        @Override
        public Optional<List<Integer>> visitStreamTableJoin(StreamTableJoinStep j) {
            return j.globalKey().isEmpty() && j.type() == JoinType.INNER ? of(j.left()) : Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitStreamStreamJoin(StreamStreamJoinStep j) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitTableTableJoin(TableTableJoinStep j) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitUnion(UnionStep u) {
            return Optional.empty();
        }

        // The steps below run in custom processors: Kafka Streams would repartition after them anyway.

        @Override
        public Optional<List<Integer>> visitLagLead(LagLeadStep l) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitRank(RankStep r) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitDeduplicate(DeduplicateStep d) {
            return Optional.empty();
        }

        @Override
        public Optional<List<Integer>> visitExplode(ExplodeStep e) {
            return of(e.input()); // the input's columns keep their positions
        }

        @Override
        public Optional<List<Integer>> visitSuppress(SuppressStep s) {
            return Optional.empty();
        }
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
