package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.serdes.format.OptionKeys;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ksqlDB's checks of a CREATE STREAM/TABLE's formats against its columns, in ksqlDB's order and words:
 * FORMAT excludes KEY_FORMAT and VALUE_FORMAT (FORMAT sets both); a {@code KEY_SCHEMA_ID} or
 * {@code VALUE_SCHEMA_ID} needs a format whose columns can come from the Schema Registry (AVRO,
 * PROTOBUF, JSON_SR) and no columns declared on that side (the schema gives them); and a statement
 * with no columns at all needs a value format that can infer them.
 */
final class KsqlSourceFormatRules {
    /** The formats whose columns ksqlDB can read from the Schema Registry. */
    static final Set<String> INFERRING = Set.of("AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR");

    private KsqlSourceFormatRules() {
    }

    /** {@code written}: the WITH options as written, keys in lower case. */
    static void check(Statement.CreateSource create, Map<String, String> written) {
        if (written.containsKey("format")) {
            for (String side : new String[]{"key_format", "value_format"}) {
                if (written.containsKey(side)) {
                    String upper = side.toUpperCase(Locale.ROOT);
                    throw new SqlException(create.location(), "Cannot supply both '" + upper + "' and 'FORMAT' properties,"
                            + " as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use"
                            + " 'KEY_FORMAT' and 'VALUE_FORMAT'.");
                }
            }
        }
        String keyFormat = format(written, "key_format", "KAFKA");
        String valueFormat = format(written, "value_format", "JSON");
        boolean keyColumns = create.columns().stream().anyMatch(c -> c.key() || c.primaryKey())
                || !create.primaryKey().isEmpty();
        boolean valueColumns = create.columns().stream().anyMatch(KsqlSourceFormatRules::isValueColumn);
        schemaId(create, written, "KEY", keyFormat, keyColumns);
        schemaId(create, written, "VALUE", valueFormat, valueColumns);
        if (create.columns().isEmpty() && create.primaryKey().isEmpty() && !INFERRING.contains(valueFormat)) {
            throw new SqlException(create.location(), "No columns supplied.",
                    "list the columns, or use a value format whose columns come from the Schema Registry (AVRO, PROTOBUF, JSON_SR)");
        }
    }

    private static boolean isValueColumn(ColumnDefinition c) {
        return !c.key() && !c.primaryKey() && c.header().isEmpty();
    }

    private static void schemaId(Statement.CreateSource create, Map<String, String> written, String side,
                                 String format, boolean declared) {
        String option = side + "_SCHEMA_ID";
        if (!written.containsKey(option.toLowerCase(Locale.ROOT))) {
            return;
        }
        if (!INFERRING.contains(format)) {
            throw new SqlException(create.location(), side + "_FORMAT should support schema inference when " + option
                    + " is provided. Current format is " + format + ".");
        }
        if (declared) {
            throw new SqlException(create.location(), "Table elements and " + option
                    + " cannot both exist for create statement.");
        }
    }

    private static String format(Map<String, String> written, String side, String otherwise) {
        String value = written.containsKey(side) ? written.get(side) : written.get("format");
        return value == null ? otherwise : OptionKeys.normalizedName(value).toUpperCase(Locale.ROOT);
    }
}
