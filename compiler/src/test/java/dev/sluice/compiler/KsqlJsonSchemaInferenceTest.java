package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.format.avro.MockSchemaRegistry;
import dev.sluice.serdes.format.avro.TextSchema;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ksqlDB's schema inference for JSON_SR (key and value columns from the JSON Schemas in the registry)
 * and its rules for KEY_SCHEMA_ID / VALUE_SCHEMA_ID, FORMAT and sources without columns.
 */
class KsqlJsonSchemaInferenceTest {
    private static final String SCOPE = "ksql-json-sr-test";
    private static final String SET = "SET 'ksql.schema.registry.url' = 'mock://" + SCOPE + "';\n";

    @BeforeEach
    void register() {
        MockSchemaRegistry.drop(SCOPE);
        MockSchemaRegistry registry = MockSchemaRegistry.scope(SCOPE);
        registry.register("input-key", new TextSchema("JSON",
                "{\"type\":\"object\",\"properties\":{\"F1\":{\"type\":\"string\"}}}", Map.of()), 1);
        registry.register("input-value", new TextSchema("JSON",
                "{\"type\":\"object\",\"properties\":{\"FOO\":{\"connect.index\":0,\"oneOf\":[{\"type\":\"null\"},"
                        + "{\"type\":\"integer\",\"connect.type\":\"int32\"}]}}}", Map.of()), 2);
    }

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(SET + sql, "json-sr", BuildOptions.PRODUCTION);
    }

    private static String error(String sql) {
        return assertThrows(SqlException.class, () -> compile(sql)).getMessage();
    }

    @Test
    void keyAndValueColumnsComeFromTheRegistry() {
        CompiledScript script = compile("CREATE STREAM INPUT WITH (kafka_topic='input', format='JSON_SR');\n"
                + "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;");
        SourceDefinition input = script.sources().get(0);
        assertEquals(new Schema(List.of(new Column("FOO", ScalarType.INTEGER, true),
                new Column("ROWKEY", new StructType(List.of(new Column("F1", ScalarType.VARCHAR, true))), true))),
                input.schema());
        assertEquals(List.of(1), input.recordKeyIndexes());
    }

    @Test
    void declaredValueColumnsStillTakeTheKeyFromTheRegistry() {
        SourceDefinition input = compile("CREATE STREAM INPUT (foo INT) WITH (kafka_topic='input', format='JSON_SR');\n"
                + "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;").sources().get(0);
        assertEquals(List.of("ROWKEY", "FOO"), input.schema().columns().stream().map(Column::name).toList());
    }

    @Test
    void schemaIdsNameTheSchemasToUse() {
        SourceDefinition input = compile("CREATE STREAM INPUT (id INT KEY) WITH (kafka_topic='other', "
                + "value_format='JSON_SR', value_schema_id=2);\nCREATE STREAM OUTPUT AS SELECT * FROM INPUT;").sources().get(0);
        assertEquals(List.of("ID", "FOO"), input.schema().columns().stream().map(Column::name).toList());
    }

    @Test
    void ksqlDbRulesForSchemaIdsAndFormats() {
        assertEquals("KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is KAFKA.",
                error("CREATE STREAM INPUT WITH (kafka_topic='input', key_format='kafka', value_format='json_sr', key_schema_id=1);"));
        assertEquals("VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is DELIMITED.",
                error("CREATE STREAM INPUT WITH (kafka_topic='input', value_format='delimited', value_schema_id=2);"));
        assertEquals("Table elements and KEY_SCHEMA_ID cannot both exist for create statement.",
                error("CREATE STREAM INPUT (k INT KEY) WITH (kafka_topic='input', format='json_sr', key_schema_id=1);"));
        assertEquals("Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.",
                error("CREATE STREAM INPUT (v INT) WITH (kafka_topic='input', value_format='json_sr', value_schema_id=2);"));
        assertEquals("Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats."
                        + " Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
                error("CREATE STREAM INPUT WITH (kafka_topic='input', key_format='KAFKA', format='KAFKA');"));
        assertEquals("No columns supplied.", error("CREATE STREAM INPUT WITH (kafka_topic='input', value_format='DELIMITED');"));
    }
}
