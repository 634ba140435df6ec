package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.RowFormat;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Optional;

/**
 * {@code format = 'avro'}: Avro in the Confluent Schema Registry wire format — magic byte 0, the
 * writer schema's id as 4 bytes big-endian, then the Avro binary body — byte-compatible with
 * Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer}. Subjects follow
 * TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}). The registry is named by
 * {@code schema_registry_url} (or {@code schema.registry.url}); {@code mock://scope} is in memory.
 *
 * <p>Writing registers the schema generated from the row schema ({@link AvroSchemas}) on first use.
 * Reading fetches each writer schema by id (cached) and resolves it against a reader schema derived
 * from the columns, so older and newer compatible writers both read; an incompatible writer is an
 * error naming the field. A column the writer lacks is NULL, or the default that the subject's latest
 * registered schema gives that field.
 */
public final class AvroRowFormat implements RowFormat {

    @Override
    public String name() {
        return "avro";
    }

    @Override
    public Serde<Row> serde(Schema schema, FormatOptions options, boolean isKey) {
        SchemaRegistryClient registry = SchemaRegistryClient.fromOptions(options);
        // a key of one column, or a value of one column with WRAP_SINGLE_VALUE=false (ksqlDB's
        // anonymous value), is written as that column's Avro type rather than as a record
        boolean unwrapped = isKey || schema.size() == 1
                && !dev.sluice.serdes.format.OptionKeys.flag(options, true, "wrap_single_value");
        java.util.OptionalInt registeredId = dev.sluice.serdes.format.OptionKeys
                .find(options, isKey ? "key_schema_id" : "value_schema_id")
                .map(id -> java.util.OptionalInt.of(Integer.parseInt(id.trim()))).orElse(java.util.OptionalInt.empty());
        return Serdes.serdeFrom(new AvroRowSerializer(registry, schema, isKey, unwrapped, registeredId),
                new AvroRowDeserializer(registry, schema, isKey, unwrapped));
    }

    /**
     * Schema discovery: the columns of the latest schema registered for the topic's value (or key),
     * or empty when the subject does not exist.
     */
    public static Optional<Schema> discover(FormatOptions options, boolean isKey) {
        SchemaRegistryClient registry = SchemaRegistryClient.fromOptions(options);
        return registry.latestSchema(SchemaRegistryClient.subject(options.topic(), isKey))
                .map(r -> AvroSchemas.toSluiceSchema(r.schema()));
    }
}
