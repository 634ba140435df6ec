package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.ReadFields;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes from the WITH properties of each source and sink (see {@link Formats}); compact binary
 * for internal topics. A stream whose key carries no columns reads any key as absent and writes
 * none, as ksqlDB does for key-less streams.
 */
public final class FormatSerdeFactory implements SerdeFactory {

    @Override
    public Serde<Row> key(Schema keySchema, FormatSpec format) {
        if (keySchema.size() == 0) {
            Serializer<Row> ser = (topic, row) -> null;
            Deserializer<Row> de = (topic, bytes) -> null;
            return Serdes.serdeFrom(ser, de);
        }
        return Formats.keySerde(keySchema, new FormatOptions(format.topic(), format.properties()));
    }

    @Override
    public Serde<Row> value(Schema schema, FormatSpec format) {
        return Formats.valueSerde(schema, new FormatOptions(format.topic(), format.properties()));
    }

    @Override
    public Serde<Row> value(Schema schema, FormatSpec format, ReadFields read) {
        return Formats.valueSerde(schema, new FormatOptions(format.topic(), format.properties()), read);
    }

    @Override
    public Serde<Row> internal(Schema schema) {
        return new BinaryRowSerde(schema);
    }
}
