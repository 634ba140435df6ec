package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.replay.Changelog;
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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a record of a query's output topic into the JSON rows a run prints: the value decoded with
 * the sink's own format, then written as JSON with the query's column names and SQL types, as replay
 * prints them. Rows as they arrive by default: a tombstone of a table result becomes its key
 * columns with {@code "op":"-D"}, Flink's delete. With {@code changelog}, Flink's whole changelog
 * instead, through the same {@link Changelog} as {@code replay --changelog}: every row with its
 * {@code op} (+I, -U with the replaced row, +U, -D with the deleted row).
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

    private final Changelog changelog;

    OutputDecoder(CompiledQuery query, boolean labelWithSink, boolean changelog) {
        this.query = query;
        this.changelog = changelog ? new Changelog(query.table()) : null;
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

    /** The rows one record prints: one, or in changelog mode none (a tombstone of no row) to two (-U, +U). */
    List<OutputRow> decode(ConsumerRecord<byte[], byte[]> record) {
        boolean delete = record.value() == null;
        dev.sluice.cli.replay.OutputRecord decoded = null;
        try {
            decoded = records.decode(new org.apache.kafka.streams.test.TestRecord<>(record.key(), record.value(),
                    record.headers(), record.timestamp()));
        } catch (RuntimeException keyNotReadable) {
            // the row still prints; only --format records needs the decoded key
        }
        ObjectNode node = null;
        if (!delete) {
            node = JSON.createObjectNode();
            if (sinkLabel != null) {
                node.put("_sink", sinkLabel);
            }
            // ksqlDB's layout keeps KEY columns in the record key: the decoded record has the whole row
            Row value = decoded != null && !query.plan().sinkKeyColumns().isEmpty() ? decoded.row()
                    : values.deserialize(record.topic(), record.value());
            node.setAll(parse(valueJson.serialize(record.topic(), value)));
        }
        ObjectNode rendered = decoded == null ? null : dev.sluice.cli.replay.RecordRenderer.render(decoded);
        if (changelog != null) {
            Object key = record.key() == null ? new Object() : ByteBuffer.wrap(record.key());
            changelog.add(key, node);
            List<OutputRow> rows = new ArrayList<>();
            for (ObjectNode change : changelog.drain()) {
                rows.add(row(change, "-D".equals(change.get(Changelog.OP).asText()), record, rendered));
            }
            return rows;
        }
        if (delete) {
            node = JSON.createObjectNode();
            if (sinkLabel != null) {
                node.put("_sink", sinkLabel);
            }
            node.put(Changelog.OP, "-D");
            if (keyJson != null && record.key() != null) {
                Row key = keys.deserialize(record.topic(), record.key());
                node.setAll(parse(keyJson.serialize(record.topic(), key)));
            }
        }
        return List.of(row(node, delete, record, rendered));
    }

    private OutputRow row(ObjectNode node, boolean delete, ConsumerRecord<byte[], byte[]> record,
                          ObjectNode rendered) {
        return new OutputRow(query.id(), node, delete, record.topic(), record.partition(), record.offset(),
                record.timestamp(), rendered);
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
