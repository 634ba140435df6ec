package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.AggregateState;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;


/**
 * GROUP BY over a table (a changelog): {@code KTable#groupBy} re-keys each row by the group key
 * through {@code <step>-groupby-repartition}, and the aggregate adds a row's new value and
 * retracts its old one, so an update or a deletion upstream corrects the group's result. A group
 * left without rows is deleted from the store and downstream (a tombstone).
 */
final class TableAggregateBuilder {
    private TableAggregateBuilder() {
    }

    static Built build(AggregateStep step, Built.Table input, BuildContext ctx) {
        Aggregation aggregation = new Aggregation(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, true);
        int keyWidth = step.groupKeys().size();
        Serde<Row> keySerde = ctx.serdes.internal(new Schema(step.keySchema().columns().subList(0, keyWidth)));
        Serde<Row> valueSerde = ctx.serdes.internal(step.input().schema());
        Evaluator[] key = ctx.compiler.compileAll(step.groupKeys());
        boolean keepEmptied = step.unchangedUpdates() == AggregateStep.UnchangedUpdates.EMIT;
        KTable<Row, AggregateState> table = input.table()
                .groupBy((k, v) -> KeyValue.pair(StatelessBuilder.project(key, v), v),
                        Grouped.with(step.name() + "-groupby", keySerde, valueSerde))
                .aggregate(aggregation::initial, (k, v, agg) -> aggregation.add(v, agg),
                        (k, v, agg) -> keepEmptied ? aggregation.retractKeepingGroup(v, agg)
                                : aggregation.retract(v, agg), Named.as(step.name() + "-aggregate"),
                        Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                                .withKeySerde(keySerde).withValueSerde(aggregation.serde()));
        // The subtractor returns null for a group whose last row went, which deletes it from the store
        // and forwards a tombstone: the group's row is deleted downstream. With UnchangedUpdates.EMIT
        // (ksqlDB's dialect) a retraction that empties a group keeps its row, the aggregate over no
        // rows (a COUNT of 0): ksqlDB never deletes a group.
        Built.Table result = AggregateBuilder.resultTable(step, table, (k, state) -> {
            Object[] out = aggregation.results(state, keyWidth);
            AggregateBuilder.copyKey(k, out);
            return new Row(out);
        }, keySerde, ctx, keepEmptied);
        return new Built.Table(EmptyInputRow.addTo(result.table(), step, aggregation, ctx));
    }
}
