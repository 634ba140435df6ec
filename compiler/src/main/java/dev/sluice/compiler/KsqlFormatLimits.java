package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.compiler.analyzer.TypeResolver;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * ksqlDB's limits of its formats, checked in the ksqlDB dialect where ksqlDB checks them and in its
 * words: the KAFKA and DELIMITED key formats ({@code GenericSerdeFactory}, {@code KafkaSerdeFactory}),
 * a format's options ({@code FormatProperties}), a missing value format ({@code DefaultFormatInjector})
 * and Avro's names ({@code AvroSchemas}). Sluice itself could write these (it picks JSON for a key
 * KAFKA cannot carry, and quotes Avro names), so the Flink dialect keeps doing so.
 */
final class KsqlFormatLimits {
    /** ksqlDB's server setting for the key format of a statement that names none. */
    static final String DEFAULT_KEY_FORMAT = "ksql.persistence.default.format.key";
    static final String DEFAULT_VALUE_FORMAT = "ksql.persistence.default.format.value";
    /** The types ksqlDB's KAFKA format carries (Kafka's own serializers). */
    private static final Set<ScalarType> KAFKA_TYPES = Set.of(ScalarType.INTEGER, ScalarType.BIGINT, ScalarType.DOUBLE,
            ScalarType.VARCHAR, ScalarType.BYTES);
    /** The formats that take a schema's full name. */
    private static final Set<String> FULL_NAME_FORMATS = Set.of("AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR");
    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private KsqlFormatLimits() {
    }

    /** A key column as ksqlDB's message lists it. */
    record KeyColumn(String name, SqlType type, NodeLocation at) {
    }

    /** {@code CREATE STREAM|TABLE}: the formats against the declared columns. */
    static void declaration(Statement.CreateSource create, Map<String, String> settings) {
        if (option(create.properties(), "kafka_topic").isEmpty()) {
            return; // an endpoint (a URI, a connector) beside ksqlDB's sources is read in its own format
        }
        Optional<String> value = option(create.properties(), "value_format").or(() -> option(create.properties(), "format"));
        if (value.isEmpty() && !settings.containsKey(DEFAULT_VALUE_FORMAT)) {
            throw new SqlException(create.location(), "Statement is missing the 'VALUE_FORMAT' property from the WITH "
                    + "clause. Either provide one or set a default via the '" + DEFAULT_VALUE_FORMAT + "' config.",
                    "add VALUE_FORMAT='JSON' (or AVRO, PROTOBUF, DELIMITED, KAFKA) to the WITH clause");
        }
        String valueFormat = value.map(KsqlFormatLimits::upper).orElse(upper(settings.getOrDefault(DEFAULT_VALUE_FORMAT, "")));
        String keyFormat = option(create.properties(), "key_format").or(() -> option(create.properties(), "format"))
                .map(KsqlFormatLimits::upper).orElse(upper(settings.getOrDefault(DEFAULT_KEY_FORMAT, "KAFKA")));
        fullSchemaNames(create.properties(), keyFormat, valueFormat);
        List<ColumnDefinition> keys = create.columns().stream().filter(c -> c.key() || c.primaryKey()).toList();
        key(keyFormat, keys.stream().map(c -> new KeyColumn(c.name().value(), TypeResolver.resolve(c.type()),
                c.location())).toList(), create.location());
        if (valueFormat.equals("AVRO")) {
            for (ColumnDefinition c : create.columns()) {
                if (!c.key() && !c.primaryKey() && c.header().isEmpty()) {
                    avroName(c.name().value(), c.name().location());
                }
            }
        }
    }

    /** A sink of CREATE … AS SELECT: its key columns in its key format, its value columns' names in AVRO. */
    static void sink(Statement.CreateAsSelect create, Map<String, String> sinkFormat, List<KeyColumn> keys,
                     List<Column> valueColumns, Map<String, String> settings) {
        for (Column c : valueColumns) {
            if (c.type() == ScalarType.NULL) {
                throw new SqlException(nullItem(create).orElse(create.location()), "Can't infer a type of null. Please "
                        + "explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
                        "column " + c.name() + " is a bare NULL; CAST it to the column's type");
            }
        }
        String keyFormat = Optional.ofNullable(sinkFormat.get("key_format")).map(KsqlFormatLimits::upper)
                .orElse(upper(settings.getOrDefault(DEFAULT_KEY_FORMAT, "KAFKA")));
        for (KeyColumn k : keys) {
            if (KsqlText.containsMap(k.type())) {
                throw KsqlChecks.mapKey(create.location(), k.name(), k.type()); // checked before the key's format
            }
        }
        try {
            key(keyFormat, keys, create.location());
        } catch (SqlException e) {
            // ksqlDB raises it while building the query, and its message quotes the statement
            throw KsqlStatementText.of(create).map(text -> new SqlException(e.line(), e.column(), e.getMessage()
                    + "\nStatement: " + text, e.hint().orElse(null))).orElse(e);
        }
        String valueFormat = upper(sinkFormat.getOrDefault("value_format", sinkFormat.getOrDefault("format", "")));
        if (valueFormat.equals("AVRO")) {
            valueColumns.forEach(c -> avroName(c.name(), create.location()));
        }
    }

    /** Where a SELECT item is a bare NULL. */
    private static Optional<NodeLocation> nullItem(Statement.CreateAsSelect create) {
        if (create.query().body() instanceof dev.sluice.grammar.ast.QueryBody.Select select) {
            return select.items().stream().filter(i -> i instanceof dev.sluice.grammar.ast.SelectItem.SingleColumn c
                    && c.expression() instanceof dev.sluice.grammar.ast.Expression.NullLiteral)
                    .map(i -> i.location()).findFirst();
        }
        return Optional.empty();
    }

    /** ksqlDB's {@code GenericSerdeFactory}: the key format must carry the key columns. */
    static void key(String format, List<KeyColumn> keys, NodeLocation at) {
        if (keys.isEmpty()) {
            return;
        }
        String columns = keys.stream().map(k -> "`" + k.name() + "` " + KsqlText.type(k.type()) + " KEY")
                .collect(Collectors.joining(", ", "[", "]"));
        String reason = null;
        NodeLocation where = at;
        if (format.equals("KAFKA")) {
            if (keys.size() > 1) {
                reason = "The 'KAFKA' format only supports a single field. Got: " + columns;
            } else if (!(keys.get(0).type() instanceof ScalarType s) || !KAFKA_TYPES.contains(s)) {
                reason = "The 'KAFKA' format does not support type '" + baseType(keys.get(0).type()) + "'";
                where = keys.get(0).at();
            }
        } else if (format.equals("DELIMITED")) {
            for (KeyColumn k : keys) {
                if (!(k.type() instanceof ScalarType) && !(k.type() instanceof DecimalType)) {
                    reason = "The 'DELIMITED' format does not support type '" + baseType(k.type()) + "', column: `"
                            + k.name() + "`";
                    where = k.at();
                    break;
                }
            }
        }
        if (reason != null) {
            throw new SqlException(where, "Key format does not support schema.\nformat: " + format + "\nschema: "
                    + "Persistence{columns=" + columns + ", features=[]}\nreason: " + reason,
                    format.equals("KAFKA") ? "the KAFKA format carries one INTEGER, BIGINT, DOUBLE, STRING or BYTES "
                            + "column; set KEY_FORMAT='JSON' (or AVRO, PROTOBUF) for other keys"
                            : "a DELIMITED key holds scalar columns; set KEY_FORMAT='JSON' (or AVRO) for nested keys");
        }
    }

    /** ksqlDB's {@code FormatProperties}: a schema's full name, for a format that has one, not blank. */
    private static void fullSchemaNames(List<Property> properties, String keyFormat, String valueFormat) {
        for (Property p : properties) {
            String key = p.key().toLowerCase(Locale.ROOT);
            boolean valueSide = key.equals("value_avro_schema_full_name") || key.equals("value_schema_full_name");
            if (!valueSide && !key.equals("key_schema_full_name")) {
                continue;
            }
            String format = valueSide ? valueFormat : keyFormat;
            String value = SourceDeclarations.value(p.value());
            if (!format.isEmpty() && !FULL_NAME_FORMATS.contains(format)) {
                throw new SqlException(p.location(), format + " does not support the following configs: [fullSchemaName]",
                        "a schema's full name is for AVRO, PROTOBUF and JSON_SR; leave " + p.key() + " out");
            }
            if (value.isBlank()) {
                throw new SqlException(p.location(), "fullSchemaName cannot be empty. Format configuration: "
                        + "{fullSchemaName=" + value.strip() + "}", "name the schema, e.g. 'com.example.Value'");
            }
        }
    }

    /** Avro's names ({@code org.apache.avro.Schema}): a letter or underscore, then letters, digits, underscores. */
    private static void avroName(String name, NodeLocation at) {
        if (AVRO_NAME.matcher(name).matches()) {
            return;
        }
        boolean initial = !name.isEmpty() && !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_';
        throw new SqlException(at, "Schema is not compatible with Avro: " + (initial ? "Illegal initial character: "
                : "Illegal character in: ") + name, "an Avro field name is letters, digits and underscores, "
                + "not starting with a digit; rename the column");
    }

    private static String baseType(SqlType type) {
        String text = KsqlText.type(type);
        int cut = text.indexOf('(') >= 0 ? text.indexOf('(') : text.indexOf('<');
        return cut >= 0 ? text.substring(0, cut) : text;
    }

    private static Optional<String> option(List<Property> properties, String key) {
        return properties.stream().filter(p -> p.key().equalsIgnoreCase(key))
                .map(p -> SourceDeclarations.value(p.value())).findFirst();
    }

    private static String upper(String format) {
        return OptionKeys.normalizedName(format).toUpperCase(Locale.ROOT);
    }
}
