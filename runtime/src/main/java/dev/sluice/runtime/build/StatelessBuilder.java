package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.operator.CalcChain;
import dev.sluice.runtime.operator.NewKey;
import dev.sluice.runtime.operator.TableFunctionRows;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.internals.KTableImpl;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Filter, project, table functions, re-key and union: record-at-a-time steps. Evaluators are compiled here, once; a
 * record for which one throws fails alone (see ExpressionEvaluationException).
 */
final class StatelessBuilder {
    private StatelessBuilder() {
    }

    static Built filter(FilterStep step, Built input, BuildContext ctx) {
        Evaluator predicate = ctx.compiler.compile(step.predicate());
        if (input instanceof Built.Table t) {
            // A row that stops passing must be deleted downstream, and only a row that was there:
            // a key whose old row failed too gets nothing (Flink emits no -D for a row it never
            // emitted; ksqlDB's HAVING sends no tombstone for a group that never qualified).
            // KTable#filter tells the two apart only when it knows each key's old value, so the
            // filter asks its parent for old values (KTableImpl's own switch, which a downstream
            // join or aggregate would flip too); without them it dropped every tombstone.
            KTable<Row, Row> filtered = t.table().filter((k, v) -> v != null && Boolean.TRUE.equals(predicate.evaluate(v)),
                    Named.as(step.name()));
            if (filtered instanceof KTableImpl<Row, ?, Row> impl) {
                impl.enableSendingOldValues(true);
            }
            return new Built.Table(filtered);
        }
        KStream<Row, Row> stream = ((Built.Stream) input).stream();
        return new Built.Stream(stream.filter((k, v) -> v != null && Boolean.TRUE.equals(predicate.evaluate(v)),
                Named.as(step.name())));
    }

    static Built project(ProjectStep step, Built input, BuildContext ctx) {
        Evaluator[] columns = columns(step, ctx);
        if (input instanceof Built.Table t) {
            return new Built.Table(t.table().mapValues(v -> CalcChain.project(columns, v), Named.as(step.name())));
        }
        KStream<Row, Row> stream = ((Built.Stream) input).stream();
        return new Built.Stream(stream.mapValues(v -> CalcChain.project(columns, v), Named.as(step.name())));
    }

    /** The projection's columns, compiled once. */
    static Evaluator[] columns(ProjectStep step, BuildContext ctx) {
        Evaluator[] columns = ctx.compiler.compileAll(step.expressions());
        // A column no consumer reads is not computed (NULL), as Flink's planner drops an unused
        // expression: its inputs may not have been read from the source (see SourceReads).
        var read = ctx.reads.step(step);
        for (int i = 0; i < columns.length; i++) {
            if (read.field(i) == null) {
                columns[i] = row -> null;
            }
        }
        return columns;
    }

    /** Table functions: each input row becomes zero or more rows (flatMapValues keeps the key). */
    static Built explode(ExplodeStep step, Built input, BuildContext ctx) {
        Evaluator[] arguments = ctx.compiler.compileAll(step.calls().stream().map(ExplodeStep.TableFunctionCall::argument)
                .toList());
        TableFunctionRows rows = new TableFunctionRows(step.calls().stream().map(ExplodeStep.TableFunctionCall::function)
                .toList(), arguments);
        KStream<Row, Row> stream = input.asStream(step.name() + "-stream");
        return new Built.Stream(stream.flatMapValues(rows::apply, Named.as(step.name())));
    }

    static Built rekey(RekeyStep step, Built input, BuildContext ctx) {
        NewKey newKey = newKey(step, ctx);
        KStream<Row, Row> stream = input.asStream(step.name());
        KStream<Row, Row> keyed = stream.selectKey(newKey::of, Named.as(keyProcessor(step)));
        return repartition(step, keyed, ctx);
    }

    /** The name of the re-key's processor (its failures are counted under it, fused or not). */
    static String keyProcessor(RekeyStep step) {
        return step.name() + "-select-key";
    }

    static NewKey newKey(RekeyStep step, BuildContext ctx) {
        Evaluator[] key = ctx.compiler.compileAll(step.keyExpressions());
        Evaluator[] tombstoneKey = ctx.compiler.compileAll(step.tombstoneKey());
        Row nullKey = new Row(new Object[step.tombstoneKey().stream().mapToInt(StatelessBuilder::width).max().orElse(0)]);
        return new NewKey(key, tombstoneKey, nullKey);
    }

    /** The re-keyed stream, through the step's repartition topic unless the re-key is local. */
    static Built repartition(RekeyStep step, KStream<Row, Row> keyed, BuildContext ctx) {
        if (step.local()) {
            // every row of a new key is in this task already (the plan checked): no topic
            return new Built.Stream(org.apache.kafka.streams.kstream.internals.SluiceGraph.partitionedByKey(keyed));
        }
        if (ctx.preAggregated.containsKey(step)) {
            return PanePreAggregateBuilder.through(step, keyed, ctx);
        }
        return new Built.Stream(keyed.repartition(repartitioned(step, ctx)));
    }

    /** The re-key's topic {@code <name>-repartition}, with the serdes of its key and row. */
    static Repartitioned<Row, Row> repartitioned(RekeyStep step, BuildContext ctx) {
        return Repartitioned.<Row, Row>as(step.name())
                .withKeySerde(ctx.serdes.internal(step.keySchema()))
                .withValueSerde(ctx.serdes.internal(step.schema()));
    }

    /** How many input columns an expression needs: one past the highest it reads. */
    private static int width(dev.sluice.runtime.expr.Expr e) {
        if (e instanceof dev.sluice.runtime.expr.Expr.InputRef r) {
            return r.index() + 1;
        }
        return e instanceof dev.sluice.runtime.expr.Expr.Call c
                ? c.arguments().stream().mapToInt(StatelessBuilder::width).max().orElse(0) : 0;
    }

    static Built union(UnionStep step, java.util.List<Built> inputs) {
        KStream<Row, Row> merged = inputs.get(0).asStream(step.name() + "-0");
        for (int i = 1; i < inputs.size(); i++) {
            merged = merged.merge(inputs.get(i).asStream(step.name() + "-" + i), Named.as(step.name() + "-merge-" + i));
        }
        return new Built.Stream(merged);
    }
}
