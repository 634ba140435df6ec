package dev.sluice.serdes.format;

import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;

/**
 * A wire format for rows (JSON, Avro, delimited, KAFKA primitives, ...). Deserializers must throw
 * {@link org.apache.kafka.common.errors.SerializationException} with a message that says what is wrong
 * with the bytes (not a stack of parser internals): Kafka Streams' exception handler then logs the
 * record with topic/partition/offset, counts it and routes it to the dead-letter topic.
 */
public interface RowFormat {

    /** Lower-case name used in {@code WITH (format = '...')}: json, avro, delimited, kafka, ... */
    String name();

    /** A serde for rows of {@code schema}; {@code isKey} selects key behaviour (e.g. {@code <topic>-key} subjects). */
    Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey);

    /**
     * A value serde whose deserializer needs to build only {@code read} of each row (the columns and
     * ROW fields the queries use); the rest may be skipped and left NULL, but bytes that are not a
     * valid record must still fail. The default reads everything.
     */
    default Serde<Row> valueSerde(Schema schema, FormatOptions options, ReadFields read) {
        return serde(schema, options, false);
    }
}
