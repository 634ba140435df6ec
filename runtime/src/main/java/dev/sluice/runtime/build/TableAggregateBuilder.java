package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.AggregateCall;
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

import java.util.Arrays;
import java.util.List;

/**
 * GROUP BY over a table (a changelog): {@code KTable#groupBy} re-keys each row by the group key
 * through {@code <step>-groupby-repartition}, and the aggregate adds a row's new value and
 * retracts its old one, so an update or a deletion upstream corrects the group's result. A group
 * left without rows is deleted downstream.
 */
final class TableAggregateBuilder {
    private TableAggregateBuilder() {
    }

    static Built build(AggregateStep step, Built.Table input, BuildContext ctx) {
        // The plan's hidden COUNT(*) comes last: a group whose rows were all retracted is deleted, as
        // in Flink, rather than kept with zero counts and NULL results.
        List<AggregateCall> calls = step.accumulators();
        int width = step.calls().size();
        Aggregation aggregation = new Aggregation(calls, step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, true);
        int keyWidth = step.groupKeys().size();
        Serde<Row> keySerde = ctx.serdes.internal(new Schema(step.keySchema().columns().subList(0, keyWidth)));
        Serde<Row> valueSerde = ctx.serdes.internal(step.input().schema());
        Evaluator[] key = ctx.compiler.compileAll(step.groupKeys());
        KTable<Row, AggregateState> table = input.table()
                .groupBy((k, v) -> KeyValue.pair(StatelessBuilder.project(key, v), v),
                        Grouped.with(step.name() + "-groupby", keySerde, valueSerde))
                .aggregate(aggregation::initial, (k, v, agg) -> aggregation.add(v, agg),
                        (k, v, agg) -> aggregation.retract(v, agg), Named.as(step.name() + "-aggregate"),
                        Materialized.<Row, AggregateState, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                                .withKeySerde(keySerde).withValueSerde(aggregation.serde()));
        return new Built.Table(table.mapValues((k, state) -> {
            Object[] all = aggregation.results(state, keyWidth);
            if (Long.valueOf(0L).equals(all[keyWidth + width])) {
                return null;
            }
            Object[] out = Arrays.copyOf(all, keyWidth + width);
            AggregateBuilder.copyKey(k, out);
            return new Row(out);
        }, Named.as(step.name() + "-result")));
    }
}
