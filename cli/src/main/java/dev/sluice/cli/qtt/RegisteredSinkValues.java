package dev.sluice.cli.qtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.format.json.JsonSchemaColumns;
import dev.sluice.serdes.format.protobuf.ProtoParser;
import dev.sluice.serdes.format.protobuf.ProtoSchema;
import dev.sluice.serdes.format.protobuf.ProtoSchemas;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A sink that writes with a registered value schema ({@code VALUE_SCHEMA_ID}) may write fields no
 * column of the query has (filled with their defaults). ksqlDB's runner reads such a topic with the
 * registered schema, so the expected records show those fields; this reads the value bytes the
 * same way: with the columns the registered schema gives.
 */
final class RegisteredSinkValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegisteredSinkValues() {
    }

    /** The value as the registered schema reads it, or empty when the sink names no schema id. */
    static Optional<JsonNode> read(String topic, Map<String, String> properties, byte[] value) {
        FormatOptions options = new FormatOptions(topic, properties);
        Optional<String> id = OptionKeys.find(options, "value_schema_id");
        if (id.isEmpty() || value == null || OptionKeys.find(options, SchemaRegistryClient.URL_KEYS).isEmpty()) {
            return Optional.empty();
        }
        Schema columns;
        try {
            columns = registeredColumns(options, Integer.parseInt(id.get().trim()));
        } catch (RuntimeException e) {
            return Optional.empty(); // the sink's own decoding then shows what was written
        }
        if (columns == null || columns.size() == 0) {
            return Optional.empty();
        }
        Map<String, String> reading = new HashMap<>(properties);
        reading.remove("value_schema_id");
        Row row = Formats.valueSerde(columns, new FormatOptions(topic, reading)).deserializer().deserialize(topic, value);
        if (row == null) {
            return Optional.empty();
        }
        FormatOptions json = new FormatOptions(topic, Map.of("format", "json", OptionKeys.NUMERIC_TEMPORALS,
                String.valueOf(OptionKeys.numericTemporals(options))));
        try {
            return Optional.of(JSON.readTree(Formats.valueSerde(columns, json).serializer().serialize(topic, row)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema registeredColumns(FormatOptions options, int id) {
        SchemaRegistryClient registry = SchemaRegistryClient.fromOptions(options);
        switch (Formats.valueFormatName(options)) {
            case "avro" -> {
                org.apache.avro.Schema avro = registry.schemaById(id);
                return avro.getType() == org.apache.avro.Schema.Type.RECORD ? AvroSchemas.toSluiceSchema(avro) : null;
            }
            case "protobuf" -> {
                TextSchema text = registry.textSchemaById(id);
                ProtoSchema parsed = ProtoParser.parse(text.text(), text.references());
                Optional<String> fullName = OptionKeys.find(options, "value_schema_full_name");
                return ProtoSchemas.toColumns(parsed, fullName.flatMap(n -> parsed.find(n.trim())).orElse(parsed.first()));
            }
            case "json_sr" -> {
                SqlType type = JsonSchemaColumns.typeOf(registry.textSchemaById(id).text());
                return type instanceof StructType s ? new Schema(s.fields()) : null;
            }
            default -> {
                return null;
            }
        }
    }
}
