package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.format.protobuf.ProtoException;
import dev.sluice.serdes.format.protobuf.ProtoMessage;
import dev.sluice.serdes.format.protobuf.ProtoParser;
import dev.sluice.serdes.format.protobuf.ProtoSchema;
import dev.sluice.serdes.format.protobuf.ProtoSchemas;
import dev.sluice.serdes.row.Schema;

import java.util.Map;
import java.util.Optional;

/**
 * Columns of a PROTOBUF source declared without them, from the Schema Registry, as ksqlDB infers them:
 * the schema {@code <side>_schema_id} names, else the latest of the subject {@code <topic>-value}
 * (or {@code -key}); the message {@code <side>_schema_full_name} names, else the schema's first. The
 * schema's id is then pinned in the source's options ({@code value_schema_id}), as ksqlDB's schema
 * injector does, so records written to the source use that schema, field types and numbers included.
 */
final class ProtobufDiscovery {
    private ProtobufDiscovery() {
    }

    /** Fetches the schema and reads the columns from it; a subject that does not exist is an error. */
    static SchemaDiscovery.Discovered discover(String name, String topic, FormatOptions options,
                                               Map<String, String> properties, NodeLocation where, boolean isKey) {
        RegisteredText fetched = RegisteredText.fetch(name, topic, options, where, isKey)
                .orElseThrow(() -> RegisteredText.missing(topic, where, isKey));
        return columns(name, topic, options, properties, where, isKey, fetched);
    }

    /** The columns of a schema already fetched (pinning its id in {@code properties}). */
    static SchemaDiscovery.Discovered columns(String name, String topic, FormatOptions options,
                                              Map<String, String> properties, NodeLocation where, boolean isKey,
                                              RegisteredText fetched) {
        String side = isKey ? "key" : "value";
        TextSchema text = fetched.text();
        String from = fetched.from();
        if (!text.type().equalsIgnoreCase("PROTOBUF")) {
            throw new SqlException(where, "the " + from + " for " + name + " is a " + text.type()
                    + " schema, and the source's format is PROTOBUF");
        }
        Schema schema;
        try {
            ProtoSchema parsed = ProtoParser.parse(text.text(), text.references());
            Optional<String> fullName = OptionKeys.find(options, side + "_schema_full_name");
            ProtoMessage message = fullName.isPresent()
                    ? parsed.find(fullName.get().trim()).orElseThrow(() -> new SqlException(where, "Schema for message "
                    + side + "s on topic '" + topic + "' does not exist in the Schema Registry.",
                    "the schema has no message " + fullName.get() + "; its messages: "
                            + parsed.messages().stream().map(ProtoMessage::fullName).toList()))
                    : parsed.first();
            schema = ProtoSchemas.toColumns(parsed, message);
        } catch (ProtoException e) {
            throw new SqlException(where, "cannot use the " + from + " for " + name + ": " + e.getMessage(),
                    "list the columns instead");
        }
        if (schema.size() == 0) {
            throw new SqlException(where, "the " + from + " for " + name + " has no fields");
        }
        properties.putIfAbsent(side + "_schema_id", Integer.toString(fetched.id()));
        return new SchemaDiscovery.Discovered(schema, name + ": columns discovered from " + from + " at "
                + fetched.url() + ": " + SchemaDiscovery.describe(schema));
    }
}
