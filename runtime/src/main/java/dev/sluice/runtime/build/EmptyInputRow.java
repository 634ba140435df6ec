package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.AggregateState;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * A global aggregate (no GROUP BY) over a bounded input that held no rows answers one row, as in
 * PostgreSQL and Flink's batch mode: {@code COUNT(*)} 0, {@code SUM} and the others NULL. A
 * continuous query has no end of input and emits nothing until a row arrives (Flink's streaming
 * mode), so this exists only with {@link BuildOptions#endOfTimeHeartbeats()} (replay and pull
 * queries): the end-of-time heartbeat asks the aggregate's store whether the single group holds
 * anything, and when it does not, the empty-input row joins the result table.
 */
final class EmptyInputRow implements Processor<Row, Row, Row, Row> {
    private final String storeName;
    private final Row emptyResult;
    private ProcessorContext<Row, Row> context;
    private ReadOnlyKeyValueStore<Row, ?> store;

    private EmptyInputRow(String storeName, Row emptyResult) {
        this.storeName = storeName;
        this.emptyResult = emptyResult;
    }

    /** The result table, with the empty-input row added at the end of a bounded input when the group is empty. */
    static KTable<Row, Row> addTo(KTable<Row, Row> result, AggregateStep step, Aggregation aggregation, BuildContext ctx) {
        if (!step.groupKeys().isEmpty() || step.window().isPresent() || !ctx.options.endOfTimeHeartbeats()) {
            return result;
        }
        Row emptyResult = new Row(aggregation.results(aggregation.initial(), 0));
        KStream<Row, Row> heartbeat = EndOfTime.source(step.name(), 0, ctx);
        String processor = step.name() + "-empty-input";
        KStream<Row, Row> empty = heartbeat.process(() -> new EmptyInputRow(step.name() + "-store", emptyResult),
                Named.as(processor));
        ctx.storeConnections.put(processor, step.name() + "-store");
        Serde<Row> keySerde = ctx.serdes.internal(new Schema(java.util.List.of()));
        return result.toStream(Named.as(step.name() + "-result-changes"))
                .merge(empty, Named.as(step.name() + "-empty-input-merge"))
                .toTable(Named.as(step.name() + "-result-table"),
                        Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-result-store")
                                .withKeySerde(keySerde).withValueSerde(ctx.serdes.internal(step.schema())));
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<Row, Row> record) {
        Object held = store.get(record.key());
        if (held instanceof ValueAndTimestamp<?> vt) {
            held = vt.value();
        }
        if (held == null || held instanceof AggregateState s && s.isEmpty()) {
            context.forward(record.withValue(emptyResult).withTimestamp(0L));
        }
    }
}
