package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.DeduplicateProcessor;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.internals.BlindWriteTableSource;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deduplication (see {@link DeduplicateStep}): a {@link DeduplicateProcessor}, its output
 * materialized as a table keyed like the input ({@code <step>-table-store}). Without a retention
 * the processor reads the kept rows from that table's store, so each is stored once; with one it
 * keeps them (and their time) in {@code <step>-store}, from which it forgets expired keys.
 */
final class DeduplicateBuilder {
    private DeduplicateBuilder() {
    }

    static Built build(DeduplicateStep step, Built input, BuildContext ctx) {
        String tableStore = step.name() + "-table-store";
        KStream<Row, Row> deduplicated;
        if (step.retentionMs() == 0) {
            // processValues: the key stays, so toTable needs no repartition and the table is in the
            // processor's sub-topology; its store is connected once the topology is built.
            var tableKeys = ctx.serdes.internal(step.keySchema());
            deduplicated = input.asStream(step.name()).processValues(
                    () -> DeduplicateProcessor.overResultTable(tableStore, step.keepLast(), step.orderColumn(),
                            tableKeys.serializer()),
                    Named.as(step.name()));
            ctx.storeConnections.put(step.name(), tableStore);
        } else {
            deduplicated = withOwnStore(step, input, ctx);
        }
        // a blind-write table: the processor has just read the key's row (through the same cache)
        return new Built.Table(BlindWriteTableSource.toTable(deduplicated, Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(tableStore)
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()))));
    }

    private static KStream<Row, Row> withOwnStore(DeduplicateStep step, Built input, BuildContext ctx) {
        Schema in = step.input().schema();
        int width = in.size();
        String store = step.name() + "-store";
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store,
                ctx.serdes.internal(step.keySchema()),
                ctx.serdes.internal(in.append(new Column("dedup$time", ScalarType.BIGINT)))));
        return input.asStream(step.name()).processValues(
                () -> new DeduplicateProcessor(store, width, step.keepLast(), step.orderColumn(), step.retentionMs()),
                Named.as(step.name()), store);
    }
}
