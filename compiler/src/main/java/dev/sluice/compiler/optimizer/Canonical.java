package dev.sluice.compiler.optimizer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * A plan rendered without step names or column names: what it computes, not what it is called.
 * Its SHA-256 names shared nodes, so the name is the same on every run and every instance (Java's
 * hashCode is not: enum hash codes change between JVMs).
 */
final class Canonical {
    private Canonical() {
    }

    static String hash(Step step) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(render(step).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    static String render(Step step) {
        StringBuilder sb = new StringBuilder();
        render(step, sb);
        return sb.toString();
    }

    private static void render(Step step, StringBuilder sb) {
        sb.append(step.getClass().getSimpleName()).append('{').append(step.accept(Own.INSTANCE));
        for (Step in : step.inputs()) {
            sb.append(' ');
            render(in, sb);
        }
        sb.append('}');
    }

    /** ksqlDB's KEY columns; nothing when there are none, so Flink sources keep their hashes. */
    private static String keyColumns(java.util.List<Integer> recordKeyColumns) {
        return recordKeyColumns.isEmpty() ? "" : " key " + recordKeyColumns;
    }

    /**
     * A window as it always hashed (kind, size, advance, grace); ksqlDB's bounds only when chosen, so
     * Flink windows keep their hashes and with them the names of shared steps.
     */
    private static String window(java.util.Optional<dev.sluice.runtime.plan.WindowSpec> window) {
        return window.map(w -> "Optional[WindowSpec[kind=" + w.kind() + ", sizeMs=" + w.sizeMs() + ", advanceMs="
                + w.advanceMs() + ", graceMs=" + w.graceMs() + (w.ksql() ? ", ksql" : "")
                + (w.processingTime() ? ", processing time" : "") + "]]")
                .orElse("Optional.empty");
    }

    /** A step's own parameters, without names: everything that changes what it computes. */
    private static final class Own implements StepVisitor<String> {
        static final Own INSTANCE = new Own();

        @Override
        public String visitSource(SourceStep s) {
            return s.format().topic() + " " + types(s.schema()) + " " + s.rowtimeColumn() + " " + s.appendRowtime()
                    + " " + s.computedColumns().stream().map(Canonical::expr).collect(Collectors.joining(","))
                    + keyColumns(s.recordKeyColumns());
        }

        @Override
        public String visitTableSource(TableSourceStep t) {
            return t.format().topic() + " " + types(t.schema()) + " " + t.keyColumns() + " " + t.global()
                    + " " + t.appendRowtime() + keyColumns(t.recordKeyColumns());
        }

        @Override
        public String visitFilter(FilterStep f) {
            return expr(f.predicate());
        }

        @Override
        public String visitProject(ProjectStep p) {
            return p.expressions().stream().map(Canonical::expr).collect(Collectors.joining(","));
        }

        @Override
        public String visitRekey(RekeyStep r) {
            return r.keyExpressions().stream().map(Canonical::expr).collect(Collectors.joining(",")) + (r.local() ? " in task" : "")
                    + (r.tombstoneKey().isEmpty() ? "" : " tombstone " + r.tombstoneKey().stream().map(Canonical::expr)
                    .collect(Collectors.joining(",")));
        }

        @Override
        public String visitAggregate(AggregateStep a) {
            return a.groupKeys().stream().map(Canonical::expr).collect(Collectors.joining(",")) + " "
                    + window(a.window()) + " " + a.emit() + " " + a.unchangedUpdates() + " " + a.rowtimeColumn() + " "
                    + a.calls().stream().map(Canonical::call).collect(Collectors.joining(","));
        }

        @Override
        public String visitStreamTableJoin(StreamTableJoinStep j) {
            return j.type() + " " + j.globalKey().stream().map(Canonical::expr).toList();
        }

        @Override
        public String visitStreamStreamJoin(StreamStreamJoinStep j) {
            return j.type() + " " + j.beforeMs() + " " + j.afterMs() + " " + j.graceMs() + " " + j.leftRowtime() + " "
                    + j.rightRowtime() + (j.retracting() ? " retracting" : "")
                    // Flink's timing adds nothing, so that shared steps keep their names (and hashes)
                    + (j.timing() == dev.sluice.runtime.plan.JoinTiming.DROP_LATE ? "" : " " + j.timing());
        }

        @Override
        public String visitTableTableJoin(TableTableJoinStep j) {
            return j.type() + " " + j.foreignKey().stream().map(Canonical::expr).toList();
        }

        @Override
        public String visitUnion(UnionStep u) {
            return "";
        }

        @Override
        public String visitLagLead(LagLeadStep l) {
            return l.calls().stream().map(c -> (c.lead() ? "LEAD($" : "LAG($") + c.argument() + "," + c.offset() + ","
                    + expr(c.defaultValue()) + ")").collect(Collectors.joining(",")) + " " + l.sortDelayMs() + " "
                    + types(l.schema());
        }

        @Override
        public String visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return o.calls().stream().map(c -> c.function() + "(" + c.arguments().stream().map(Canonical::expr)
                    .collect(Collectors.joining(",")) + "):" + c.type().sql()).collect(Collectors.joining(","))
                    + " " + o.frame().sql() + " " + o.sortDelayMs() + " " + types(o.schema());
        }

        @Override
        public String visitRank(RankStep r) {
            return r.function() + " " + r.partitionColumns() + " " + r.orderBy() + " " + r.limit() + " "
                    + r.appendRank() + " " + types(r.keySchema()) + r.running().stream().map(c -> " " + c.function()
                    + "(" + c.arguments().stream().map(Canonical::expr).collect(Collectors.joining(",")) + "):"
                    + c.type().sql()).collect(Collectors.joining()) + (r.running().isEmpty() ? "" : " " + r.frame().sql())
                    + (r.tableInTask() ? " table in task" : "") + (r.rankedInTask() ? " ranked in task" : "");
        }

        @Override
        public String visitDeduplicate(DeduplicateStep d) {
            return d.keepLast() + " " + d.orderColumn() + " " + d.retentionMs();
        }

        @Override
        public String visitExplode(ExplodeStep e) {
            return e.calls().stream().map(c -> c.function() + "(" + expr(c.argument()) + ")")
                    .collect(Collectors.joining(",")) + " " + types(e.schema());
        }

        @Override
        public String visitSuppress(SuppressStep s) {
            return Long.toString(s.intervalMs());
        }
    }

    private static String types(Schema schema) {
        return schema.columns().stream().map(Column::type).map(t -> t.sql()).collect(Collectors.joining(",", "(", ")"));
    }

    static String expr(Expr e) {
        if (e instanceof Expr.InputRef r) {
            return "$" + r.index() + ":" + r.type().sql();
        }
        if (e instanceof Expr.Literal l) {
            return l.value() + ":" + l.type().sql();
        }
        Expr.Call c = (Expr.Call) e;
        return c.function() + c.arguments().stream().map(Canonical::expr).collect(Collectors.joining(",", "(", ")"))
                + ":" + c.type().sql();
    }

    private static String call(AggregateCall c) {
        return c.function() + (c.distinct() ? "(DISTINCT " : "(")
                + c.arguments().stream().map(Canonical::expr).collect(Collectors.joining(",")) + ")"
                + c.filter().map(f -> " FILTER " + expr(f)).orElse("") + " " + c.sortDescending() + ":" + c.type().sql();
    }
}
