package dev.sluice.serdes.format.json;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** JSON Schema documents, as Connect's JSON Schema converter writes them, read as SQL types. */
class JsonSchemaColumnsTest {

    @Test
    void connectTypesAndTitlesPickTheSqlType() {
        String schema = """
                {"type": "object", "properties": {
                  "B": {"connect.index": 5, "type": "boolean"},
                  "I": {"connect.index": 0, "oneOf": [{"type": "null"}, {"type": "integer", "connect.type": "int32"}]},
                  "L": {"connect.index": 1, "type": "integer"},
                  "D": {"connect.index": 2, "type": "number", "title": "org.apache.kafka.connect.data.Decimal",
                        "connect.parameters": {"scale": "2", "connect.decimal.precision": "4"}},
                  "T": {"connect.index": 3, "type": "integer", "title": "org.apache.kafka.connect.data.Timestamp"},
                  "BY": {"connect.index": 4, "type": "string", "connect.type": "bytes"},
                  "A": {"connect.index": 6, "type": "array", "items": {"type": "string"}},
                  "M": {"connect.index": 7, "type": "object", "additionalProperties": {"type": "number"}},
                  "S": {"connect.index": 8, "type": "object", "properties": {"F1": {"type": "string"}}}
                }}""";
        assertEquals(new StructType(List.of(
                new Column("I", ScalarType.INTEGER, true), new Column("L", ScalarType.BIGINT, true),
                new Column("D", new DecimalType(4, 2), true), new Column("T", ScalarType.TIMESTAMP, true),
                new Column("BY", ScalarType.BYTES, true), new Column("B", ScalarType.BOOLEAN, true),
                new Column("A", new ArrayType(ScalarType.VARCHAR), true),
                new Column("M", new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE), true),
                new Column("S", new StructType(List.of(new Column("F1", ScalarType.VARCHAR, true))), true))),
                JsonSchemaColumns.typeOf(schema));
    }

    @Test
    void fieldsWithoutConnectIndexKeepTheirWrittenOrder() {
        assertEquals(new StructType(List.of(new Column("z", ScalarType.BIGINT, true), new Column("a", ScalarType.VARCHAR, true))),
                JsonSchemaColumns.typeOf("{\"type\":\"object\",\"properties\":{\"z\":{\"type\":\"integer\"},\"a\":{\"type\":\"string\"}}}"));
    }

    @Test
    void anAnonymousValueIsItsOwnType() {
        assertEquals(ScalarType.INTEGER, JsonSchemaColumns.typeOf(
                "{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"integer\",\"connect.type\":\"int32\"}]}"));
        assertEquals(ScalarType.VARCHAR, JsonSchemaColumns.typeOf("{\"type\":[\"null\",\"string\"]}"));
    }

    @Test
    void aUnionOfTwoTypesHasNoSqlType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonSchemaColumns.typeOf(
                "{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"));
        assertEquals("the schema is a union of 2 types; only a single type, optionally with null, has a SQL type", e.getMessage());
    }
}
