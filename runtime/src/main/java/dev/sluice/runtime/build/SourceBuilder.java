package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.TimestampTextCheck;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.HeaderColumns;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
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
        // The schema is: declared columns (ksqlDB's KEY columns among them, read from the record key),
        // then computed columns, then the ROWTIME pseudo column when appended.
        // A ksqlDB windowed source (WINDOW_TYPE) ends with WINDOWSTART and WINDOWEND, read from its
        // windowed keys; its stream stays keyed by key columns, start and end, as a windowed aggregate's.
        var window = dev.sluice.runtime.plan.WindowedSource.of(step.format());
        int bounds = window.isPresent() ? 2 : 0;
        List<dev.sluice.serdes.row.Column> cols = step.schema().columns();
        int pseudo = step.appendRowtime() ? PseudoColumns.count(cols.subList(0, cols.size() - bounds)) : 0;
        int declared = cols.size() - step.computedColumns().size() - pseudo - bounds;
        RecordKeyColumns split = new RecordKeyColumns(new dev.sluice.serdes.row.Schema(cols.subList(0, declared)),
                step.recordKeyColumns());
        Evaluator[] computed = ctx.compiler.compileAll(step.computedColumns());
        // the value's columns and ROW fields the script's queries read; the format may skip the rest
        // (read by position: header columns, not in the payload, shift them, so then it reads all)
        HeaderColumns headers = HeaderColumns.of(step.format());
        ReadFields read = split.isEmpty() && headers.isEmpty() ? ctx.reads.topic(topic) : ReadFields.ALL;
        Serde<Row> values = HeaderColumnsSerde.of(split.valueSchema(), headers,
                payload -> ctx.serdes.value(payload, step.format(), read));
        if (split.isEmpty() && computed.length > 0) {
            values = Serdes.serdeFrom(values.serializer(), new ComputedColumnsDeserializer(values.deserializer(), computed));
        }
        Serde<Row> keys = ctx.serdes.key(split.isEmpty() ? step.keySchema() : split.keySchema(), step.format());
        if (window.isPresent()) {
            keys = WindowedKeys.serde(keys, window.get());
        }
        Consumed<Row, Row> consumed = Consumed.with(keys, values).withName(step.name() + "-source");
        SourceRows rows = new SourceRows(split, computed);
        if (step.rowtimeColumn().isPresent()) {
            int column = step.rowtimeColumn().getAsInt();
            // Without key columns the value row is the source row (computed columns included); with them
            // a value column shifts left, and any other column needs the whole row put together.
            RowtimeExtractor extractor = split.isEmpty() ? new RowtimeExtractor(column, step.name())
                    : column < declared && split.valuePosition(column) >= 0
                    ? new RowtimeExtractor(split.valuePosition(column), step.name())
                    : rows.rowtime(column, step.name());
            consumed = consumed.withTimestampExtractor(extractor.withTextFormat(step.format().properties()));
        }
        KStream<Row, Row> stream = ctx.streams.stream(topic, consumed);
        if (!split.isEmpty()) {
            stream = stream.processValues(rows::processor, Named.as(step.name() + "-key-columns"));
        }
        String timestampFormat = step.format().properties().get("timestamp_format");
        if (step.rowtimeColumn().isPresent() && timestampFormat != null) {
            int column = step.rowtimeColumn().getAsInt();
            stream = stream.processValues(() -> new TimestampTextCheck(column, timestampFormat),
                    Named.as(step.name() + "-timestamp-text"));
        }
        if (step.appendRowtime()) {
            stream = stream.processValues(() -> PseudoColumns.of(pseudo), Named.as(step.name() + "-rowtime"));
        }
        if (window.isPresent()) {
            stream = stream.processValues(WindowBoundsColumns::new, Named.as(step.name() + "-window-bounds"));
        }
        Built built = new Built.Stream(stream);
        ctx.sourcesByTopic.put(topic, built);
        return built;
    }

    /** A table's event time: from the value row, or from the row put together when it is a KEY column. */
    private static RowtimeExtractor rowtime(int column, RecordKeyColumns split, String source) {
        int inValue = split.valuePosition(column);
        return inValue >= 0 ? new RowtimeExtractor(inValue, source)
                : new SourceRows(split, new Evaluator[0]).rowtime(column, source);
    }

    static Built table(TableSourceStep step, BuildContext ctx) {
        String topic = step.format().topic();
        Built existing = ctx.sourcesByTopic.get(topic);
        if (existing != null) {
            return existing;
        }
        // Tables are keyed by their primary key; topics written without keys (JSON lines) carry it in
        // the value, so the stream is re-keyed from the value and re-materialized as a table.
        // ksqlDB's pseudo columns, when appended, are filled after reading (not for a GlobalKTable, which
        // no processor sees: its rows keep them NULL)
        List<dev.sluice.serdes.row.Column> cols = step.schema().columns();
        int pseudo = step.appendRowtime() && !step.global() ? PseudoColumns.count(cols) : 0;
        RecordKeyColumns split = new RecordKeyColumns(
                new dev.sluice.serdes.row.Schema(cols.subList(0, cols.size() - pseudo)), step.recordKeyColumns());
        Consumed<Row, Row> consumed = Consumed.with(
                ctx.serdes.key(split.isEmpty() ? step.keySchema() : split.keySchema(), step.format()),
                HeaderColumnsSerde.of(split.valueSchema(), HeaderColumns.of(step.format()),
                        payload -> ctx.serdes.value(payload, step.format()))).withName(step.name() + "-source");
        if (step.rowtimeColumn().isPresent()) {
            consumed = consumed.withTimestampExtractor(rowtime(step.rowtimeColumn().getAsInt(), split, step.name())
                    .withTextFormat(step.format().properties()));
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
        boolean keyedByRecord = !split.isEmpty();
        if (!split.isEmpty()) {
            records = records.processValues(split::joiner, Named.as(step.name() + "-key-columns"));
        }
        String timestampFormat = step.format().properties().get("timestamp_format");
        if (step.rowtimeColumn().isPresent() && timestampFormat != null) {
            int column = step.rowtimeColumn().getAsInt();
            records = records.processValues(() -> new TimestampTextCheck(column, timestampFormat),
                    Named.as(step.name() + "-timestamp-text"));
        }
        if (pseudo > 0) {
            // a row's ROWTIME is the timestamp of the record that set it, kept in the table with it
            records = records.processValues(() -> PseudoColumns.of(pseudo), Named.as(step.name() + "-rowtime"));
        }
        KTable<Row, Row> table = records
                .selectKey((k, v) -> keyOf(v, keyColumns, k, keyedByRecord), Named.as(step.name() + "-key"))
                .toTable(Named.as(step.name() + "-table"),
                        Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-store")
                                .withKeySerde(ctx.serdes.internal(step.keySchema()))
                                .withValueSerde(ctx.serdes.internal(step.schema())));
        Built built = new Built.Table(table);
        ctx.sourcesByTopic.put(topic, built);
        return built;
    }

    /**
     * The table key of one record. A table whose key columns live in the record key skips a record
     * without a key (the table's key stays unknown), as a Kafka Streams table source and so ksqlDB do:
     * the null key returned here makes the table step drop it.
     */
    private static Row keyOf(Row value, int[] keyColumns, Row topicKey, boolean keyedByRecord) {
        if (value == null || keyedByRecord && topicKey == null) {
            return topicKey;
        }
        Object[] key = new Object[keyColumns.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = value.get(keyColumns[i]);
        }
        return new Row(key);
    }
}
