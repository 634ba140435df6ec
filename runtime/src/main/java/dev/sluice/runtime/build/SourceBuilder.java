package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.serdes.row.Row;
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
        RecordKeyColumns split = new RecordKeyColumns(sourceSchema(step), step.recordKeyColumns());
        Consumed<Row, Row> consumed = Consumed.with(
                        ctx.serdes.key(split.isEmpty() ? step.keySchema() : split.keySchema(), step.format()),
                        ctx.serdes.value(split.valueSchema(), step.format()))
                .withName(step.name() + "-source");
        if (step.rowtimeColumn().isPresent()) {
            consumed = consumed.withTimestampExtractor(rowtime(step.rowtimeColumn().getAsInt(), split, step.name()));
        }
        KStream<Row, Row> stream = ctx.streams.stream(topic, consumed);
        if (!split.isEmpty()) {
            stream = stream.processValues(split::joiner, Named.as(step.name() + "-key-columns"));
        }
        if (step.appendRowtime()) {
            stream = stream.processValues(AppendRowtime::new, Named.as(step.name() + "-rowtime"));
        }
        Built built = new Built.Stream(stream);
        ctx.sourcesByTopic.put(topic, built);
        return built;
    }

    /** Event time read from the value row, where the key columns are missing. */
    private static RowtimeExtractor rowtime(int column, RecordKeyColumns split, String source) {
        int inValue = split.valuePosition(column);
        if (inValue < 0) {
            throw new IllegalArgumentException(source + ": the event time column cannot be a KEY column");
        }
        return new RowtimeExtractor(inValue, source);
    }

    /** The declared columns: the ROWTIME pseudo column, when appended, is not in the topic. */
    private static dev.sluice.serdes.row.Schema sourceSchema(SourceStep step) {
        if (!step.appendRowtime()) {
            return step.schema();
        }
        List<dev.sluice.serdes.row.Column> cols = step.schema().columns();
        return new dev.sluice.serdes.row.Schema(cols.subList(0, cols.size() - 1));
    }

    static Built table(TableSourceStep step, BuildContext ctx) {
        String topic = step.format().topic();
        Built existing = ctx.sourcesByTopic.get(topic);
        if (existing != null) {
            return existing;
        }
        // Tables are keyed by their primary key; topics written without keys (JSON lines) carry it in
        // the value, so the stream is re-keyed from the value and re-materialized as a table.
        RecordKeyColumns split = new RecordKeyColumns(step.schema(), step.recordKeyColumns());
        Consumed<Row, Row> consumed = Consumed.with(
                ctx.serdes.key(split.isEmpty() ? step.keySchema() : split.keySchema(), step.format()),
                ctx.serdes.value(split.valueSchema(), step.format())).withName(step.name() + "-source");
        if (step.rowtimeColumn().isPresent()) {
            consumed = consumed.withTimestampExtractor(rowtime(step.rowtimeColumn().getAsInt(), split, step.name()));
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
        KStream<Row, Row> records = ctx.streams.stream(topic, consumed);
        if (!split.isEmpty()) {
            records = records.processValues(split::joiner, Named.as(step.name() + "-key-columns"));
        }
        KTable<Row, Row> table = records
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
