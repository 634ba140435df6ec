package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Turns a record of a query's output topic into the JSON row replay prints: the value decoded with
 * the sink's own format, then written as JSON with the query's column names and SQL types. A
 * tombstone of a table result becomes its key columns, marked as a delete.
 */
final class OutputDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CompiledQuery query;
    private final String sinkLabel;
    private final Deserializer<Row> keys;
    private final Deserializer<Row> values;
    private final Serializer<Row> valueJson;
    private final Serializer<Row> keyJson;
    /** Reads ksqlDB's layout too (key columns in the record key, windowed keys). */
    private final dev.sluice.cli.replay.OutputDecoder records;

    OutputDecoder(CompiledQuery query, boolean labelWithSink) {
        this.query = query;
        this.sinkLabel = labelWithSink ? query.id() : null;
        FormatSpec format = query.plan().sink().orElseThrow();
        FormatSerdeFactory serdes = new FormatSerdeFactory();
        this.keys = serdes.key(query.keySchema(), format).deserializer();
        this.values = serdes.value(query.schema(), format).deserializer();
        FormatOptions json = new FormatOptions(format.topic(), Map.of("format", "json"));
        this.valueJson = Formats.valueSerde(query.schema(), json).serializer();
        this.keyJson = query.keySchema().size() == 0 ? null : Formats.valueSerde(query.keySchema(), json).serializer();
        this.records = new dev.sluice.cli.replay.OutputDecoder(query, query.id());
    }

    String topic() {
        return query.plan().sink().orElseThrow().topic();
    }

    OutputRow decode(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = JSON.createObjectNode();
        if (sinkLabel != null) {
            node.put("_sink", sinkLabel);
        }
        boolean delete = record.value() == null;
        dev.sluice.cli.replay.OutputRecord decoded = null;
        try {
            decoded = records.decode(new org.apache.kafka.streams.test.TestRecord<>(record.key(), record.value(),
                    record.headers(), record.timestamp()));
        } catch (RuntimeException keyNotReadable) {
            // the row still prints; only --format records needs the decoded key
        }
        if (!delete && decoded != null && !query.plan().sinkKeyColumns().isEmpty()) {
            node.setAll(parse(valueJson.serialize(record.topic(), decoded.row())));
        } else if (!delete) {
            Row value = values.deserialize(record.topic(), record.value());
            node.setAll(parse(valueJson.serialize(record.topic(), value)));
        } else if (keyJson != null && record.key() != null) {
            Row key = keys.deserialize(record.topic(), record.key());
            node.setAll(parse(keyJson.serialize(record.topic(), key)));
            node.put("_op", "delete");
        }
        return new OutputRow(query.id(), node, delete, record.topic(), record.partition(), record.offset(),
                record.timestamp(), decoded == null ? null : dev.sluice.cli.replay.RecordRenderer.render(decoded));
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
