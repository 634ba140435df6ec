package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.format.json.JsonSchemaColumns;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.Optional;

/**
 * Columns of a JSON_SR source declared without them, from the JSON Schema in the Schema Registry, as
 * ksqlDB infers them: the schema {@code <side>_schema_id} names, else the latest of the subject
 * {@code <topic>-value} (or {@code -key}). A value schema that is an object gives one column per
 * property; any other (an anonymous value, {@code WRAP_SINGLE_VALUE=false}) one column {@code ROWVAL}.
 * A key schema always gives one column {@code ROWKEY}, a STRUCT when the schema is an object, since
 * ksqlDB reads an inferred key unwrapped.
 */
final class JsonSchemaDiscovery {
    private JsonSchemaDiscovery() {
    }

    /** The columns, or empty for a key whose subject does not exist (a stream without a key). */
    static Optional<SchemaDiscovery.Discovered> discover(String name, String topic, FormatOptions options,
                                                         NodeLocation where, boolean isKey) {
        String side = isKey ? "key" : "value";
        Optional<RegisteredText> fetched = RegisteredText.fetch(name, topic, options, where, isKey);
        if (fetched.isEmpty()) {
            if (isKey) {
                return Optional.empty();
            }
            throw RegisteredText.missing(topic, where, false);
        }
        TextSchema text = fetched.get().text();
        String from = fetched.get().from();
        if (!text.type().equalsIgnoreCase("JSON")) {
            throw new SqlException(where, "the " + from + " for " + name + " is a " + text.type()
                    + " schema, and the source's " + side + " format is JSON_SR");
        }
        SqlType type;
        try {
            type = JsonSchemaColumns.typeOf(text.text());
        } catch (IllegalArgumentException e) {
            throw new SqlException(where, "cannot use the " + from + " for " + name + ": " + e.getMessage(),
                    "list the columns instead");
        }
        Schema schema;
        if (isKey) {
            schema = Schema.of(new Column("ROWKEY", type, true));
        } else if (type instanceof StructType struct) {
            schema = new Schema(struct.fields());
        } else {
            schema = Schema.of(new Column("ROWVAL", type, true));
        }
        if (schema.size() == 0) {
            throw new SqlException(where, "the " + from + " for " + name + " has no fields");
        }
        return Optional.of(new SchemaDiscovery.Discovered(schema, name + ": " + side + " columns discovered from "
                + from + " at " + fetched.get().url() + ": " + SchemaDiscovery.describe(schema)));
    }
}
