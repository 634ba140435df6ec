package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.format.avro.TextSchema;

import java.util.Optional;

/**
 * The non-Avro schema (JSON Schema, PROTOBUF) a source's columns are discovered from, fetched from
 * the registry once: the schema {@code <side>_schema_id} names, else the latest of the subject
 * {@code <topic>-value} (or {@code -key}). The discoveries build their columns from this one answer.
 *
 * @param text the schema with the texts of its references
 * @param id   its global id, which PROTOBUF discovery pins in the source's options
 * @param from where it came from, for messages ({@code subject 'orders-value' version 2 (schema id 7)})
 * @param url  the registry's address, for messages
 */
record RegisteredText(TextSchema text, int id, String from, String url) {

    /**
     * Fetches the schema; empty when no id is given and the subject does not exist. A registry that
     * cannot be read is a SQL error at {@code where} naming the source.
     */
    static Optional<RegisteredText> fetch(String name, String topic, FormatOptions options, NodeLocation where,
                                          boolean isKey) {
        String side = isKey ? "key" : "value";
        try {
            SchemaRegistryClient registry = SchemaRegistryClient.fromOptions(options);
            Optional<String> idOption = OptionKeys.find(options, side + "_schema_id");
            if (idOption.isPresent()) {
                int id = Integer.parseInt(idOption.get().trim());
                return Optional.of(new RegisteredText(registry.textSchemaById(id), id, "schema id " + id, registry.url()));
            }
            String subject = SchemaRegistryClient.subject(topic, isKey);
            return registry.latestTextSchema(subject).map(latest -> new RegisteredText(latest.schema(), latest.id(),
                    "subject '" + subject + "' version " + latest.version() + " (schema id " + latest.id() + ")",
                    registry.url()));
        } catch (RuntimeException e) {
            throw new SqlException(where, "cannot discover the columns of " + name + ": " + e.getMessage(),
                    "check schema_registry_url and that the registry is running, or list the columns");
        }
    }

    /** ksqlDB's words for a subject that does not exist, when the source needs its schema. */
    static SqlException missing(String topic, NodeLocation where, boolean isKey) {
        String side = isKey ? "key" : "value";
        return new SqlException(where, "Schema for message " + side + "s on topic '" + topic
                + "' does not exist in the Schema Registry.", "register the topic's " + side + " schema under '"
                + SchemaRegistryClient.subject(topic, isKey) + "' first, or list the columns");
    }
}
