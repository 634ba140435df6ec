package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.format.avro.AvroSchemas;
import dev.sluice.serdes.format.avro.SchemaRegistryClient;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.TypeShapes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * ksqlDB's check of a CREATE … AS SELECT whose sink names a registered value schema
 * ({@code VALUE_SCHEMA_ID}): the query's value columns, in order, must be the schema's first
 * fields, same names and same types (NULL-ability aside). Extra fields after them are allowed
 * (the writer fills them with their defaults or NULL); a column changed, missing or moved is
 * refused in ksqlDB's words: {@code The following value columns are changed, missing or
 * reordered: [`c1` INTEGER]. Schema from schema registry is [`c2` DOUBLE, `c1` INTEGER]}.
 */
final class KsqlSinkSchemaIds {
    private KsqlSinkSchemaIds() {
    }

    static void check(String topic, java.util.Map<String, String> properties, Schema valueColumns, NodeLocation where) {
        FormatOptions options = new FormatOptions(topic, properties);
        if (OptionKeys.find(options, "value_schema_id").isEmpty()
                || OptionKeys.find(options, SchemaRegistryClient.URL_KEYS).isEmpty()) {
            return;
        }
        Optional<Schema> registered = registeredColumns(topic, options, properties, where);
        if (registered.isEmpty()) {
            return;
        }
        List<Column> inferred = registered.get().columns();
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < valueColumns.size(); i++) {
            Column c = valueColumns.column(i);
            boolean same = i < inferred.size() && inferred.get(i).name().equals(c.name())
                    && TypeShapes.sameIgnoringNullability(inferred.get(i).type(), c.type());
            if (!same) {
                differing.add(text(c));
            }
        }
        if (!differing.isEmpty()) {
            throw new SqlException(where, "The following value columns are changed, missing or reordered: "
                    + differing + ". Schema from schema registry is "
                    + inferred.stream().map(KsqlSinkSchemaIds::text).collect(Collectors.joining(", ", "[", "]")),
                    "select the columns in the registered schema's order, with its names and types");
        }
    }

    /** The registered schema's columns, as a source reading it would infer them; empty for other formats. */
    private static Optional<Schema> registeredColumns(String topic, FormatOptions options,
                                                      java.util.Map<String, String> properties, NodeLocation where) {
        String format = Formats.valueFormatName(options);
        switch (format) {
            case "avro" -> {
                int id = Integer.parseInt(OptionKeys.find(options, "value_schema_id").orElseThrow().trim());
                org.apache.avro.Schema avro;
                try {
                    avro = SchemaRegistryClient.fromOptions(options).schemaById(id);
                } catch (RuntimeException e) {
                    throw new SqlException(where, "cannot read the value schema id " + id + ": " + e.getMessage(),
                            "register the schema first, or leave VALUE_SCHEMA_ID out");
                }
                if (avro.getType() != org.apache.avro.Schema.Type.RECORD) {
                    return Optional.empty(); // an anonymous value: one column, whatever its name
                }
                return Optional.of(AvroSchemas.toSluiceSchema(avro));
            }
            case "protobuf" -> {
                return Optional.of(ProtobufDiscovery.discover(topic, topic, options, new HashMap<>(properties), where,
                        false).schema());
            }
            case "json_sr" -> {
                Schema s = JsonSchemaDiscovery.discover(topic, topic, options, where, false).orElseThrow().schema();
                return s.size() == 1 && s.column(0).name().equals("ROWVAL") ? Optional.empty() : Optional.of(s);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static String text(Column c) {
        return "`" + c.name() + "` " + KsqlText.type(c.type());
    }
}
