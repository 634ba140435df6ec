package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
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
        Evaluator[] columns = ctx.compiler.compileAll(step.expressions());
        // A column no consumer reads is not computed (NULL), as Flink's planner drops an unused
        // expression: its inputs may not have been read from the source (see SourceReads).
        var read = ctx.reads.step(step);
        for (int i = 0; i < columns.length; i++) {
            if (read.field(i) == null) {
                columns[i] = row -> null;
            }
        }
        if (input instanceof Built.Table t) {
            return new Built.Table(t.table().mapValues(v -> project(columns, v), Named.as(step.name())));
        }
        KStream<Row, Row> stream = ((Built.Stream) input).stream();
        return new Built.Stream(stream.mapValues(v -> project(columns, v), Named.as(step.name())));
    }

    static Row project(Evaluator[] columns, Row input) {
        if (input == null) {
            return null;
        }
        Object[] out = new Object[columns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = columns[i].evaluate(input);
        }
        return new Row(out);
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
        Evaluator[] key = ctx.compiler.compileAll(step.keyExpressions());
        Evaluator[] tombstoneKey = ctx.compiler.compileAll(step.tombstoneKey());
        Row nullKey = new Row(new Object[step.tombstoneKey().stream().mapToInt(StatelessBuilder::width).max().orElse(0)]);
        KStream<Row, Row> stream = input.asStream(step.name());
        // A tombstone gets a key of NULL columns, or the one ksqlDB computes from its record key: a
        // null key would be dropped without a trace by the repartition, and ksqlDB passes a stream's
        // tombstone on (PARTITION BY).
        KStream<Row, Row> keyed = stream.selectKey((k, v) -> v != null ? project(key, v)
                        : tombstoneKey.length == 0 ? new Row(new Object[key.length])
                        : project(tombstoneKey, k == null ? nullKey : k),
                Named.as(step.name() + "-select-key"));
        if (step.local()) {
            // every row of a new key is in this task already (the plan checked): no topic
            return new Built.Stream(org.apache.kafka.streams.kstream.internals.SluiceGraph.partitionedByKey(keyed));
        }
        KStream<Row, Row> rekeyed = keyed
                .repartition(Repartitioned.<Row, Row>as(step.name())
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema())));
        return new Built.Stream(rekeyed);
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
