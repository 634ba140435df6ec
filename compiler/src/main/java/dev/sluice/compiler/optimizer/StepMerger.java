package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether two sub-plans compute the same thing modulo step names, aliases, CTE names and
 * column order, and if so builds one step that serves both: it computes the union of their
 * columns (projections: the union of expressions; aggregations: the union of aggregate calls over
 * the same source, filters, group keys and window). {@link Merged#mapA()} and
 * {@link Merged#mapB()} say where each side's columns are in the merged output.
 *
 * <p>Anything else that differs (a source, a predicate, a key, a window size or grace, an emit
 * mode, a join bound) makes the sub-plans different: no merge.
 */
final class StepMerger {
    private StepMerger() {
    }

    record Merged(Step step, int[] mapA, int[] mapB) {
    }

    static Optional<Merged> merge(Step a, Step b) {
        if (a.equals(b)) {
            int[] id = Exprs.identity(a.schema().size());
            return Optional.of(new Merged(a, id, id));
        }
        if (StepCopy.isSource(a) || StepCopy.isSource(b) || a.getClass() != b.getClass()) {
            return Optional.empty();
        }
        return a.accept(new MergeWith(b));
    }

    /** Merges the visited step with {@code other}, a step of the same type. */
    private static final class MergeWith implements StepVisitor<Optional<Merged>> {
        private final Step other;

        MergeWith(Step other) {
            this.other = other;
        }

        @Override
        public Optional<Merged> visitSource(SourceStep s) {
            return Optional.empty(); // unequal sources read different topics
        }

        @Override
        public Optional<Merged> visitTableSource(TableSourceStep t) {
            return Optional.empty();
        }

        @Override
        public Optional<Merged> visitFilter(FilterStep fa) {
            FilterStep fb = (FilterStep) other;
            return merge(fa.input(), fb.input()).flatMap(in -> {
                Expr pa = Exprs.remap(fa.predicate(), in.mapA());
                Expr pb = Exprs.remap(fb.predicate(), in.mapB());
                return pa.equals(pb) ? Optional.of(new Merged(new FilterStep(fa.name(), in.step(), pa), in.mapA(),
                        in.mapB())) : Optional.empty();
            });
        }

        @Override
        public Optional<Merged> visitProject(ProjectStep pa) {
            ProjectStep pb = (ProjectStep) other;
            return merge(pa.input(), pb.input()).map(in -> project(pa, pb, in));
        }

        @Override
        public Optional<Merged> visitRekey(RekeyStep ra) {
            RekeyStep rb = (RekeyStep) other;
            return merge(ra.input(), rb.input()).flatMap(in -> {
                List<Expr> ka = Exprs.remap(ra.keyExpressions(), in.mapA());
                List<Expr> kb = Exprs.remap(rb.keyExpressions(), in.mapB());
                return ka.equals(kb) && sameTypes(ra.keySchema(), rb.keySchema()) && ra.local() == rb.local()
                        && ra.tombstoneKey().equals(rb.tombstoneKey())
                        ? Optional.of(new Merged(ra.withKey(in.step(), ka), in.mapA(),
                        in.mapB())) : Optional.empty();
            });
        }

        @Override
        public Optional<Merged> visitAggregate(AggregateStep aa) {
            AggregateStep ab = (AggregateStep) other;
            return merge(aa.input(), ab.input()).flatMap(in -> aggregate(aa, ab, in));
        }

        @Override
        public Optional<Merged> visitStreamTableJoin(StreamTableJoinStep j) {
            return sameInputColumns(j, other);
        }

        @Override
        public Optional<Merged> visitStreamStreamJoin(StreamStreamJoinStep j) {
            return sameInputColumns(j, other);
        }

        @Override
        public Optional<Merged> visitTableTableJoin(TableTableJoinStep j) {
            return sameInputColumns(j, other);
        }

        @Override
        public Optional<Merged> visitUnion(UnionStep u) {
            return sameInputColumns(u, other);
        }

        @Override
        public Optional<Merged> visitLagLead(LagLeadStep l) {
            return sameInputColumns(l, other);
        }

        @Override
        public Optional<Merged> visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return sameInputColumns(o, other);
        }

        @Override
        public Optional<Merged> visitRank(RankStep r) {
            return sameInputColumns(r, other);
        }

        @Override
        public Optional<Merged> visitDeduplicate(DeduplicateStep d) {
            return sameInputColumns(d, other);
        }

        @Override
        public Optional<Merged> visitSuppress(SuppressStep s) {
            return sameInputColumns(s, other);
        }

        @Override
        public Optional<Merged> visitExplode(ExplodeStep e) {
            return sameInputColumns(e, other);
        }
    }

    /**
     * Steps that read their inputs' columns by position (joins, unions, LAG/LEAD, rankings,
     * deduplications, rate limits) are shared only when their inputs merge into the same columns in
     * the same order and their own parameters are equal.
     */
    private static Optional<Merged> sameInputColumns(Step a, Step b) {
        List<Step> ia = a.inputs();
        List<Step> ib = b.inputs();
        if (ia.size() != ib.size()) {
            return Optional.empty();
        }
        List<Step> merged = new ArrayList<>();
        for (int i = 0; i < ia.size(); i++) {
            Optional<Merged> m = merge(ia.get(i), ib.get(i));
            int width = ia.get(i).schema().size();
            if (m.isEmpty() || !Exprs.isIdentity(m.get().mapA(), width) || !Exprs.isIdentity(m.get().mapB(), width)
                    || m.get().step().schema().size() != width) {
                return Optional.empty();
            }
            merged.add(m.get().step());
        }
        Step candidateA = a.withInputs(merged);
        Step candidateB = b.withInputs(merged).withName(a.name());
        if (!sameExceptColumnNames(candidateA, candidateB)) {
            return Optional.empty();
        }
        int[] id = Exprs.identity(a.schema().size());
        return Optional.of(new Merged(candidateA, id, id));
    }

    private static Merged project(ProjectStep a, ProjectStep b, Merged in) {
        List<Expr> exprs = new ArrayList<>(Exprs.remap(a.expressions(), in.mapA()));
        List<Column> columns = new ArrayList<>(a.schema().columns());
        Set<String> names = new HashSet<>();
        a.schema().names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        List<Expr> fromB = Exprs.remap(b.expressions(), in.mapB());
        int[] mapB = new int[fromB.size()];
        for (int i = 0; i < fromB.size(); i++) {
            int at = exprs.indexOf(fromB.get(i));
            if (at < 0) {
                at = exprs.size();
                exprs.add(fromB.get(i));
                columns.add(new Column(unique(b.schema().column(i).name(), names), b.schema().type(i)));
            }
            mapB[i] = at;
        }
        ProjectStep merged = new ProjectStep(a.name(), in.step(), exprs, new Schema(columns));
        return new Merged(merged, Exprs.identity(a.schema().size()), mapB);
    }

    private static Optional<Merged> aggregate(AggregateStep a, AggregateStep b, Merged in) {
        List<Expr> keys = Exprs.remap(a.groupKeys(), in.mapA());
        if (!keys.equals(Exprs.remap(b.groupKeys(), in.mapB())) || !a.window().equals(b.window())
                || a.emit() != b.emit() || !sameTypes(a.keySchema(), b.keySchema())
                || !Exprs.remap(a.rowtimeColumn(), in.mapA()).equals(Exprs.remap(b.rowtimeColumn(), in.mapB()))) {
            return Optional.empty();
        }
        int prefix = a.schema().size() - a.calls().size();
        List<AggregateCall> calls = new ArrayList<>(a.calls().stream().map(c -> Exprs.remap(c, in.mapA())).toList());
        List<Column> columns = new ArrayList<>(a.schema().columns());
        int[] mapB = new int[b.schema().size()];
        for (int i = 0; i < prefix; i++) {
            mapB[i] = i;
        }
        for (int i = 0; i < b.calls().size(); i++) {
            AggregateCall call = Exprs.remap(b.calls().get(i), in.mapB());
            int at = calls.indexOf(call);
            if (at < 0) {
                at = calls.size();
                calls.add(call);
                columns.add(new Column("AGG$" + at, call.type()));
            }
            mapB[prefix + i] = prefix + at;
        }
        AggregateStep merged = new AggregateStep(a.name(), in.step(), keys, a.window(), calls,
                Exprs.remap(a.rowtimeColumn(), in.mapA()), a.keySchema(), new Schema(columns), a.emit(),
                a.unchangedUpdates());
        return Optional.of(new Merged(merged, Exprs.identity(a.schema().size()), mapB));
    }

    private static boolean sameTypes(Schema a, Schema b) {
        return a.columns().stream().map(Column::type).toList().equals(b.columns().stream().map(Column::type).toList());
    }

    /** Join and union steps carry a schema of their own; its column names are aliases, not meaning. */
    private static boolean sameExceptColumnNames(Step a, Step b) {
        if (!sameTypes(a.schema(), b.schema())) {
            return false;
        }
        Schema schema = a.schema();
        return a.equals(withSchema(b, schema));
    }

    /** The step with another output schema (same types), where the step carries one of its own. */
    private static Step withSchema(Step step, Schema schema) {
        return step.accept(new StepVisitor<Step>() {
            @Override
            public Step visitSource(SourceStep s) {
                return s;
            }

            @Override
            public Step visitTableSource(TableSourceStep t) {
                return t;
            }

            @Override
            public Step visitFilter(FilterStep f) {
                return f;
            }

            @Override
            public Step visitProject(ProjectStep p) {
                return new ProjectStep(p.name(), p.input(), p.expressions(), schema);
            }

            @Override
            public Step visitRekey(RekeyStep r) {
                return r;
            }

            @Override
            public Step visitAggregate(AggregateStep a) {
                return new AggregateStep(a.name(), a.input(), a.groupKeys(), a.window(), a.calls(), a.rowtimeColumn(),
                        a.keySchema(), schema, a.emit(), a.unchangedUpdates());
            }

            @Override
            public Step visitStreamTableJoin(StreamTableJoinStep j) {
                return new StreamTableJoinStep(j.name(), j.left(), j.right(), j.type(), j.globalKey(), schema);
            }

            @Override
            public Step visitStreamStreamJoin(StreamStreamJoinStep j) {
                return new StreamStreamJoinStep(j.name(), j.left(), j.right(), j.type(), j.beforeMs(), j.afterMs(),
                        j.graceMs(), j.leftRowtime(), j.rightRowtime(), schema, j.regular(),
                        j.timing());
            }

            @Override
            public Step visitTableTableJoin(TableTableJoinStep j) {
                return new TableTableJoinStep(j.name(), j.left(), j.right(), j.type(), j.foreignKey(), schema);
            }

            @Override
            public Step visitUnion(UnionStep u) {
                return new UnionStep(u.name(), u.inputs(), schema);
            }

            @Override
            public Step visitLagLead(LagLeadStep l) {
                return new LagLeadStep(l.name(), l.input(), l.calls(), l.sortDelayMs(), schema);
            }

            @Override
            public Step visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
                return new dev.sluice.runtime.plan.OverAggregateStep(o.name(), o.input(), o.calls(), o.frame(), o.sortDelayMs(), schema);
            }

            @Override
            public Step visitRank(RankStep r) {
                return new RankStep(r.name(), r.input(), r.function(), r.partitionColumns(), r.orderBy(), r.limit(),
                        r.appendRank(), r.keySchema(), schema, r.running(), r.frame(), r.tableInTask(), r.rankedInTask());
            }

            @Override
            public Step visitDeduplicate(DeduplicateStep d) {
                return d; // its columns are its input's
            }

            @Override
            public Step visitSuppress(SuppressStep s) {
                return s; // its columns are its input's
            }

            @Override
            public Step visitExplode(ExplodeStep e) {
                return new ExplodeStep(e.name(), e.input(), e.calls(), schema);
            }
        });
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = name + "$" + i;
        }
        return candidate;
    }
}
