package dev.sluice.cli.replay;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.build.RecordKeyColumns;
import dev.sluice.runtime.build.WindowedKeys;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.OutputWindow;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.test.TestRecord;

import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads the records a query wrote back into rows, whatever the layout: Sluice's (every column in
 * the value) or ksqlDB's (KEY columns in the record key, the window in a windowed key).
 */
public final class OutputDecoder {
    private final String sink;
    private final String topic;
    private final RecordKeyColumns split;
    private final Deserializer<Row> keys;
    private final Deserializer<Row> values;
    private final Optional<WindowSpec> window;
    private final Serializer<Row> keyJsonSerializer;
    private final Serializer<Row> valueJson;
    private final Schema keyJsonSchema;
    private final Schema valueJsonSchema;

    public OutputDecoder(CompiledQuery q, String sink) {
        this.sink = sink;
        FormatSpec format = q.plan().sink().orElseThrow();
        this.topic = format.topic();
        this.split = new RecordKeyColumns(q.schema(), q.plan().sinkKeyColumns());
        FormatSerdeFactory serdes = new FormatSerdeFactory();
        this.window = OutputWindow.ksql(q.plan().root());
        this.keys = serdes.key(split.isEmpty() && window.isEmpty() ? q.keySchema() : split.keySchema(), format)
                .deserializer();
        this.values = serdes.value(split.valueSchema(), format).deserializer();
        // shown as the sink writes its values: ksqlDB's dialect has TIMESTAMP and DATE as numbers
        FormatOptions json = new FormatOptions(topic, Map.of("format", "json",
                dev.sluice.serdes.format.OptionKeys.NUMERIC_TEMPORALS, String.valueOf(
                        dev.sluice.serdes.format.OptionKeys.numericTemporals(
                                new FormatOptions(topic, format.properties())))));
        Schema keySchema = split.isEmpty() && window.isEmpty() ? q.keySchema() : split.keySchema();
        this.keyJsonSerializer = Formats.valueSerde(keySchema, json).serializer();
        this.valueJson = Formats.valueSerde(split.valueSchema(), json).serializer();
        this.keyJsonSchema = keySchema;
        this.valueJsonSchema = split.valueSchema();
    }

    public OutputRecord decode(TestRecord<byte[], byte[]> record) {
        Row key;
        Optional<OutputRecord.Window> w = Optional.empty();
        if (window.isPresent() && record.key() != null) {
            WindowedKeys.Decoded d = WindowedKeys.decode(record.key(), keys, topic, window.get());
            key = d.key();
            w = Optional.of(new OutputRecord.Window(d.start(), d.end()));
        } else {
            key = record.key() == null ? null : keys.deserialize(topic, record.key());
        }
        Row value = record.value() == null ? null : values.deserialize(topic, record.value());
        Row row = value == null ? null : split.isEmpty() ? value : split.join(key, value);
        return new OutputRecord(sink, key, w, record.timestamp(), row, keyJson(key),
                value == null ? NullNode.getInstance() : json(valueJson, valueJsonSchema, value));
    }

    private JsonNode keyJson(Row key) {
        if (key == null || key.size() == 0) {
            return NullNode.getInstance();
        }
        JsonNode object = json(keyJsonSerializer, keyJsonSchema, key);
        return key.size() == 1 ? object.elements().next() : object;
    }

    private JsonNode json(Serializer<Row> serializer, Schema schema, Row row) {
        return ExactDecimals.parse(serializer.serialize(topic, row), schema);
    }
}
