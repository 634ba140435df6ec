package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;

/** Source topics as streams or tables, with event time taken from the ROWTIME column. */
final class SourceBuilder {
    private SourceBuilder() {
    }

    static Built stream(SourceStep step, BuildContext ctx) {
        String topic = step.format().topic();
        Built existing = ctx.sourcesByTopic.get(topic);
        if (existing != null) {
            return existing;
        }
        Consumed<Row, Row> consumed = Consumed.with(ctx.serdes.key(step.keySchema(), step.format()),
                        valueSerde(step, ctx))
                .withName(step.name() + "-source");
        if (step.rowtimeColumn().isPresent()) {
            consumed = consumed.withTimestampExtractor(new RowtimeExtractor(step.rowtimeColumn().getAsInt(), step.name()));
        }
        KStream<Row, Row> stream = ctx.streams.stream(topic, consumed);
        if (step.appendRowtime()) {
            stream = stream.processValues(AppendRowtime::new, Named.as(step.name() + "-rowtime"));
        }
        Built built = new Built.Stream(stream);
        ctx.sourcesByTopic.put(topic, built);
        return built;
    }

    /**
     * The columns read from the topic: neither the computed columns nor the ROWTIME pseudo column,
     * when appended, are in it. Computed columns are added as each record is read.
     */
    private static Serde<Row> valueSerde(SourceStep step, BuildContext ctx) {
        List<dev.sluice.serdes.row.Column> cols = step.schema().columns();
        int physical = cols.size() - step.computedColumns().size() - (step.appendRowtime() ? 1 : 0);
        Serde<Row> serde = ctx.serdes.value(new dev.sluice.serdes.row.Schema(cols.subList(0, physical)), step.format());
        if (step.computedColumns().isEmpty()) {
            return serde;
        }
        Evaluator[] computed = ctx.compiler.compileAll(step.computedColumns());
        return Serdes.serdeFrom(serde.serializer(), new ComputedColumnsDeserializer(serde.deserializer(), computed));
    }

    static Built table(TableSourceStep step, BuildContext ctx) {
        String topic = step.format().topic();
        Built existing = ctx.sourcesByTopic.get(topic);
        if (existing != null) {
            return existing;
        }
        // Tables are keyed by their primary key; topics written without keys (JSON lines) carry it in
        // the value, so the stream is re-keyed from the value and re-materialized as a table.
        Consumed<Row, Row> consumed = Consumed.with(ctx.serdes.key(step.keySchema(), step.format()),
                ctx.serdes.value(step.schema(), step.format())).withName(step.name() + "-source");
        if (step.rowtimeColumn().isPresent()) {
            consumed = consumed.withTimestampExtractor(new RowtimeExtractor(step.rowtimeColumn().getAsInt(), step.name()));
        }
        if (step.global()) {
            // A GlobalKTable is restored straight from its topic, bypassing any processor, so it
            // cannot be re-keyed from the value: the topic's records must be keyed by the PRIMARY KEY.
            Built built = new Built.GlobalTable(ctx.streams.globalTable(topic, consumed,
                    Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                            .withKeySerde(ctx.serdes.key(step.keySchema(), step.format()))
                            .withValueSerde(ctx.serdes.value(step.schema(), step.format()))));
            ctx.sourcesByTopic.put(topic, built);
            return built;
        }
        int[] keyColumns = step.keyColumns().stream().mapToInt(Integer::intValue).toArray();
        KTable<Row, Row> table = ctx.streams.stream(topic, consumed)
                .selectKey((k, v) -> keyOf(v, keyColumns, k), Named.as(step.name() + "-key"))
                .toTable(Named.as(step.name() + "-table"),
                        Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                                .withKeySerde(ctx.serdes.internal(step.keySchema()))
                                .withValueSerde(ctx.serdes.internal(step.schema())));
        Built built = new Built.Table(table);
        ctx.sourcesByTopic.put(topic, built);
        return built;
    }

    private static Row keyOf(Row value, int[] keyColumns, Row topicKey) {
        if (value == null) {
            return topicKey;
        }
        Object[] key = new Object[keyColumns.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = value.get(keyColumns[i]);
        }
        return new Row(key);
    }

    /** Adds the record timestamp as the last column: ksqlDB's ROWTIME pseudo column. */
    private static final class AppendRowtime implements FixedKeyProcessor<Row, Row, Row> {
        private FixedKeyProcessorContext<Row, Row> context;

        @Override
        public void init(FixedKeyProcessorContext<Row, Row> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<Row, Row> record) {
            Row value = record.value();
            if (value == null) {
                context.forward(record);
                return;
            }
            Object[] values = new Object[value.size() + 1];
            for (int i = 0; i < value.size(); i++) {
                values[i] = value.get(i);
            }
            values[value.size()] = record.timestamp();
            context.forward(record.withValue(new Row(values)));
        }
    }
}
