package dev.sluice.compiler;

import dev.sluice.compiler.endpoint.Discovery;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.format.avro.RegisteredSchema;
import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Columns of a source declared without a column list, read at compile time from the Schema
 * Registry: the latest schema of the subject {@code <topic>-value} (TopicNameStrategy). Compiling
 * once fixes the reader schema, so every instance of the application reads with the same columns;
 * a later writer schema is read through Avro schema resolution, as for declared columns.
 */
final class SchemaDiscovery {
    private SchemaDiscovery() {
    }

    /** What was found, and a line for the user saying where it came from. */
    record Discovered(Schema schema, String note) {
    }

    static Discovered discover(String name, String topic, Map<String, String> properties, NodeLocation where,
                               Discovery discovery) {
        FormatOptions options = new FormatOptions(topic, properties);
        String format = Formats.valueFormatName(options);
        Optional<String> url = OptionKeys.find(options, SchemaRegistryClient.URL_KEYS);
        if (format.equals("protobuf") && url.isPresent()) {
            discovery.requireNetwork(where, "the Schema Registry at " + url.get());
            return ProtobufDiscovery.discover(name, topic, options, properties, where, false);
        }
        if (format.equals("json_sr") && url.isPresent()) {
            discovery.requireNetwork(where, "the Schema Registry at " + url.get());
            return JsonSchemaDiscovery.discover(name, topic, options, where, false).orElseThrow();
        }
        if (!format.equals("avro") || url.isEmpty()) {
            throw new SqlException(where, name + " has no columns, and they can only be discovered from a Schema "
                    + "Registry for formats 'avro', 'protobuf' and 'json_sr' (this source has format '" + format + "'"
                    + (url.isEmpty() ? " and no schema_registry_url" : "") + ")",
                    "list the columns: CREATE STREAM " + name + " (col TYPE, ...) WITH (...), or read Avro: "
                            + "WITH ('format' = 'avro', 'schema_registry_url' = 'http://host:8081', ...)");
        }
        discovery.requireNetwork(where, "the Schema Registry at " + url.get());
        String subject = SchemaRegistryClient.subject(topic, false);
        SchemaRegistryClient registry;
        Optional<RegisteredSchema> latest;
        try {
            registry = SchemaRegistryClient.fromOptions(options);
            latest = registry.latestSchema(subject);
        } catch (RuntimeException e) {
            throw new SqlException(where, "cannot discover the columns of " + name + ": " + e.getMessage(),
                    "check schema_registry_url and that the registry is running, or list the columns");
        }
        if (latest.isEmpty()) {
            throw new SqlException(where, "cannot discover the columns of " + name + ": the subject '" + subject
                    + "' does not exist in the Schema Registry at " + registry.url(),
                    "register the topic's value schema under '" + subject + "' first, or list the columns");
        }
        RegisteredSchema found = latest.get();
        Schema schema;
        try {
            schema = AvroSchemas.toSluiceSchema(found.schema());
        } catch (RuntimeException e) {
            throw new SqlException(where, "cannot use the schema of subject '" + subject + "' (version "
                    + found.version() + ", id " + found.id() + ") for " + name + ": " + e.getMessage(),
                    "list the columns instead; Sluice reads the fields it can through Avro schema resolution");
        }
        if (found.schema().getType() != org.apache.avro.Schema.Type.RECORD) {
            // ksqlDB's anonymous value: one column named ROWVAL
            schema = Schema.of(new Column("ROWVAL", schema.column(0).type(), schema.column(0).nullable()));
        } else if (!OptionKeys.flag(options, true, "wrap_single_value")) {
            // WRAP_SINGLE_VALUE=false: the whole record is one anonymous STRUCT value, ROWVAL in ksqlDB
            schema = Schema.of(new Column("ROWVAL", new dev.sluice.serdes.row.StructType(schema.columns()), true));
        }
        if (schema.size() == 0) {
            throw new SqlException(where, "the schema of subject '" + subject + "' for " + name + " has no fields");
        }
        return new Discovered(schema, name + ": columns discovered from subject '" + subject + "' version "
                + found.version() + " (schema id " + found.id() + ") at " + registry.url() + ": " + describe(schema));
    }

    /** Whether a source's value format can take its columns from the registry (AVRO, PROTOBUF with a registry URL). */
    static boolean infersValues(String topic, Map<String, String> properties) {
        FormatOptions options = new FormatOptions(topic, properties);
        String format = Formats.valueFormatName(options);
        return (format.equals("avro") || format.equals("protobuf") || format.equals("json_sr"))
                && OptionKeys.find(options, SchemaRegistryClient.URL_KEYS).isPresent();
    }

    /**
     * The key columns of a source whose key format is PROTOBUF, from the subject {@code <topic>-key},
     * or empty when the key format is another or the subject does not exist (a stream without a key).
     */
    static Optional<Discovered> discoverKey(String name, String topic, Map<String, String> properties,
                                            NodeLocation where, Discovery discovery) {
        FormatOptions options = new FormatOptions(topic, properties);
        Optional<String> keyFormat = OptionKeys.find(options, "key_format", "key.format").map(OptionKeys::normalizedName);
        Optional<String> url = OptionKeys.find(options, SchemaRegistryClient.URL_KEYS);
        if (keyFormat.isEmpty() || !(keyFormat.get().equals("protobuf") || keyFormat.get().equals("avro")
                || keyFormat.get().equals("json_sr"))
                || url.isEmpty() || !discovery.network() && !url.get().trim().startsWith("mock://")) {
            return Optional.empty(); // offline, a key without a registered schema simply has no columns
        }
        if (keyFormat.get().equals("avro")) {
            return avroKey(name, topic, options);
        }
        if (keyFormat.get().equals("json_sr")) {
            return JsonSchemaDiscovery.discover(name, topic, options, where, true);
        }
        if (OptionKeys.find(options, "key_schema_id").isEmpty()) {
            // the latest key schema, fetched once: whether the stream has a key, and then its columns
            Optional<RegisteredText> latest;
            try {
                latest = RegisteredText.fetch(name, topic, options, where, true);
            } catch (RuntimeException unreachable) {
                return Optional.empty(); // the value's discovery, or the first record, says what is wrong
            }
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            discovery.requireNetwork(where, "the Schema Registry at " + url.get());
            return Optional.of(ProtobufDiscovery.columns(name, topic, options, properties, where, true, latest.get()));
        }
        discovery.requireNetwork(where, "the Schema Registry at " + url.get());
        return Optional.of(ProtobufDiscovery.discover(name, topic, options, properties, where, true));
    }

    /**
     * ksqlDB's key inference for an AVRO key: the latest schema of {@code <topic>-key} gives one key
     * column named {@code ROWKEY}, of the schema's type (a record is a STRUCT). No subject: the
     * stream has no key columns.
     */
    private static Optional<Discovered> avroKey(String name, String topic, FormatOptions options) {
        String subject = SchemaRegistryClient.subject(topic, true);
        Optional<RegisteredSchema> latest;
        try {
            latest = SchemaRegistryClient.fromOptions(options).latestSchema(subject);
        } catch (RuntimeException unreachable) {
            return Optional.empty(); // the value's discovery, or the first record, says what is wrong
        }
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        org.apache.avro.Schema avro = latest.get().schema();
        Schema found = AvroSchemas.toSluiceSchema(avro);
        // the whole key is one column: a record is a STRUCT (ksqlDB unwraps a single key column)
        Schema schema = avro.getType() == org.apache.avro.Schema.Type.RECORD
                ? Schema.of(new Column("ROWKEY", new dev.sluice.serdes.row.StructType(found.columns()), true))
                : Schema.of(new Column("ROWKEY", found.column(0).type(), found.column(0).nullable()));
        return Optional.of(new Discovered(schema, name + ": key columns discovered from subject '" + subject
                + "' version " + latest.get().version() + " (schema id " + latest.get().id() + "): " + describe(schema)));
    }

    /** Columns with nullability, as DESCRIBE prints them. */
    static String describe(Schema schema) {
        List<Column> columns = schema.columns();
        return columns.stream().map(c -> c.name() + " " + c.type().sql() + (c.nullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
