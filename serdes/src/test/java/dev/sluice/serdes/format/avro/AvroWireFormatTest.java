package dev.sluice.serdes.format.avro;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Byte-level vectors, computed by hand from the Avro spec (zigzag varints, little-endian doubles,
 * length-prefixed strings) and the Confluent framing (magic 0, 4-byte big-endian id), so the format
 * is pinned independently of our own encoder and of Avro's.
 */
class AvroWireFormatTest {
    private static final String SCOPE = "wire-vectors";

    private static Serde<Row> serde(Schema schema, boolean isKey) {
        FormatOptions o = new FormatOptions("t", Map.of("format", "avro", "key_format", "avro",
                "schema_registry_url", "mock://" + SCOPE));
        return isKey ? Formats.keySerde(schema, o) : Formats.valueSerde(schema, o);
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @BeforeEach
    void freshRegistry() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void notNullLongAndStringRecord() {
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("name", ScalarType.VARCHAR, false));
        byte[] bytes = serde(s, false).serializer().serialize("t", Row.of(1L, "a"));
        // magic | id 1 | long 1 → zigzag 2 | string length 1 → zigzag 2, 'a'
        assertArrayEquals(b(0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x02, 0x61), bytes);
        assertEquals(Row.of(1L, "a"), serde(s, false).deserializer().deserialize("t", bytes));
        assertEquals("{\"type\":\"record\",\"name\":\"t\",\"namespace\":\"dev.sluice.avro\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"}]}",
                MockSchemaRegistry.scope(SCOPE).latestSchema("t-value").orElseThrow().schema().toString());
    }

    @Test
    void idIsFourBytesBigEndian() {
        MockSchemaRegistry registry = MockSchemaRegistry.scope(SCOPE);
        for (int i = 0; i < 6; i++) {
            registry.register("other", org.apache.avro.Schema.createFixed("f" + i, null, null, 1));
        }
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("name", ScalarType.VARCHAR, false));
        byte[] bytes = serde(s, false).serializer().serialize("t", Row.of(1L, "a"));
        assertArrayEquals(b(0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x02, 0x61), bytes);
    }

    @Test
    void nullableColumnsAreUnionsWithNullFirst() {
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT), new Column("name", ScalarType.VARCHAR));
        byte[] bytes = serde(s, false).serializer().serialize("t", Row.of(null, "a"));
        // id: union branch 0 (null) → 00 | name: branch 1 → 02, then 02 61
        assertArrayEquals(b(0, 0, 0, 0, 1, 0x00, 0x02, 0x02, 0x61), bytes);
        assertEquals(Row.of(null, "a"), serde(s, false).deserializer().deserialize("t", bytes));
    }

    @Test
    void logicalTypesAndScalarsEncodeAsTheSpecSays() {
        Schema s = Schema.of(
                new Column("amount", new DecimalType(5, 2), false),
                new Column("ts", ScalarType.TIMESTAMP, false),
                new Column("day", ScalarType.DATE, false),
                new Column("delta", ScalarType.BIGINT, false),
                new Column("ratio", ScalarType.DOUBLE, false),
                new Column("ok", ScalarType.BOOLEAN, false),
                new Column("city", ScalarType.VARCHAR, false));
        Row row = Row.of(new BigDecimal("1.23"), 1000L, 19737, -1L, 1.5, true, "é");
        byte[] bytes = serde(s, false).serializer().serialize("t", row);
        assertArrayEquals(b(0, 0, 0, 0, 1,
                0x02, 0x7B,                                       // decimal: 1 byte, unscaled 123
                0xD0, 0x0F,                                       // 1000 → zigzag 2000 = 0b1111_1010000 → D0 0F
                0xB2, 0xB4, 0x02,                                 // 19737 → zigzag 39474 = 2·128² + 52·128 + 50
                0x01,                                             // -1 → zigzag 1
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,   // 1.5 = 0x3FF8000000000000, little-endian
                0x01,                                             // true
                0x04, 0xC3, 0xA9),                                // "é": 2 UTF-8 bytes
                bytes);
        assertEquals(row, serde(s, false).deserializer().deserialize("t", bytes));
    }

    @Test
    void singleColumnKeyIsWrittenUnwrappedUnderKeySubject() {
        Schema key = Schema.of(new Column("user", ScalarType.VARCHAR));
        byte[] bytes = serde(key, true).serializer().serialize("t", Row.of("a"));
        assertArrayEquals(b(0, 0, 0, 0, 1, 0x02, 0x61), bytes);
        assertEquals("\"string\"", MockSchemaRegistry.scope(SCOPE).latestSchema("t-key").orElseThrow().schema().toString());
        assertEquals(Row.of("a"), serde(key, true).deserializer().deserialize("t", bytes));
    }

    @Test
    void readsRecordsWrittenByAnotherProducerFromHandMadeBytes() {
        // a producer registered {id:int, tags:array<string>} under another name and wrote (300, ["x"])
        org.apache.avro.Schema writer = new org.apache.avro.Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Upstream\",\"namespace\":\"com.acme\",\"fields\":["
                        + "{\"name\":\"ID\",\"type\":\"int\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
        int id = MockSchemaRegistry.scope(SCOPE).register("upstream-value", writer);
        Schema columns = Schema.of(new Column("id", ScalarType.BIGINT),
                new Column("tags", new dev.sluice.serdes.row.ArrayType(ScalarType.VARCHAR)));
        // 300 → zigzag 600 = 4·128 + 88 → D8 04 | array block of 1 (02), "x" (02 78), end (00)
        byte[] bytes = b(0, 0, 0, 0, id, 0xD8, 0x04, 0x02, 0x02, 0x78, 0x00);
        assertEquals(Row.of(300L, java.util.List.of("x")), serde(columns, false).deserializer().deserialize("upstream", bytes));
    }
}
