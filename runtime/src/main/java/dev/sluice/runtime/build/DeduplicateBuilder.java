package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.DeduplicateProcessor;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Deduplication (see {@link DeduplicateStep}): a {@link DeduplicateProcessor} over the store
 * {@code <step>-store}, its output materialized as a table keyed like the input.
 */
final class DeduplicateBuilder {
    private DeduplicateBuilder() {
    }

    static Built build(DeduplicateStep step, Built input, BuildContext ctx) {
        Schema in = step.input().schema();
        int width = in.size();
        String store = step.name() + "-store";
        ctx.streams.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                ctx.serdes.internal(step.keySchema()),
                ctx.serdes.internal(in.append(new Column("dedup$time", ScalarType.BIGINT)))));
        // processValues: the key stays, so toTable needs no repartition.
        KStream<Row, Row> deduplicated = input.asStream(step.name()).processValues(
                () -> new DeduplicateProcessor(store, width, step.keepLast(), step.orderColumn(), step.retentionMs()),
                Named.as(step.name()), store);
        return new Built.Table(deduplicated.toTable(Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-table-store")
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()))));
    }
}
