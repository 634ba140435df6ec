package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.HeaderColumns;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A source's value serde when some of its value columns are ksqlDB header columns: the value format
 * reads and writes the other columns, and the header columns are filled from the record's headers as
 * the value is read. Reading them in the deserializer (Kafka Streams hands it the headers) means a
 * table source, a timestamp extractor and every later step see them as ordinary columns.
 */
final class HeaderColumnsSerde {
    private HeaderColumnsSerde() {
    }

    /**
     * The value serde over {@code valueSchema}; {@code physical} builds the format's serde for the
     * columns the payload holds. Without header columns, that serde itself.
     */
    static Serde<Row> of(Schema valueSchema, HeaderColumns headers, Function<Schema, Serde<Row>> physical) {
        if (headers.isEmpty()) {
            return physical.apply(valueSchema);
        }
        Map<String, HeaderColumns.Binding> byColumn = headers.byColumn();
        List<Column> payload = new ArrayList<>();
        // per value column: the header key it reads (empty: all headers), or null when it is in the payload
        List<Optional<String>> fromHeaders = new ArrayList<>();
        for (Column c : valueSchema.columns()) {
            HeaderColumns.Binding b = byColumn.get(c.name().toUpperCase(java.util.Locale.ROOT));
            fromHeaders.add(b == null ? null : b.key());
            if (b == null) {
                payload.add(c);
            }
        }
        Serde<Row> inner = physical.apply(new Schema(payload));
        return Serdes.serdeFrom(new PayloadSerializer(inner.serializer(), fromHeaders),
                new Reader(inner.deserializer(), fromHeaders));
    }

    /** The row read from the payload, with the header columns put in their places. */
    private record Reader(Deserializer<Row> payload, List<Optional<String>> fromHeaders) implements Deserializer<Row> {
        @Override
        public Row deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public Row deserialize(String topic, Headers headers, byte[] data) {
            Row read = headers == null ? payload.deserialize(topic, data) : payload.deserialize(topic, headers, data);
            if (read == null) {
                return null; // a tombstone stays one
            }
            Object[] values = new Object[fromHeaders.size()];
            int next = 0;
            for (int i = 0; i < values.length; i++) {
                Optional<String> key = fromHeaders.get(i);
                values[i] = key == null ? read.get(next++) : headerValue(headers, key);
            }
            return new Row(values);
        }

        @Override
        public void close() {
            payload.close();
        }
    }

    /** {@code HEADER('k')}: the last header of that key, as ksqlDB reads it; {@code HEADERS}: all, in order. */
    static Object headerValue(Headers headers, Optional<String> key) {
        if (key.isPresent()) {
            Header last = headers == null ? null : headers.lastHeader(key.get());
            return last == null ? null : last.value();
        }
        List<Row> all = new ArrayList<>();
        if (headers != null) {
            for (Header h : headers) {
                all.add(new Row(new Object[] {h.key(), h.value()}));
            }
        }
        return all;
    }

    /** Writes the payload's columns only (the header columns are not part of the value). */
    private record PayloadSerializer(Serializer<Row> payload, List<Optional<String>> fromHeaders)
            implements Serializer<Row> {
        @Override
        public byte[] serialize(String topic, Row row) {
            if (row == null) {
                return payload.serialize(topic, null);
            }
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < fromHeaders.size(); i++) {
                if (fromHeaders.get(i) == null) {
                    values.add(row.get(i));
                }
            }
            return payload.serialize(topic, new Row(values.toArray()));
        }

        @Override
        public void close() {
            payload.close();
        }
    }
}
