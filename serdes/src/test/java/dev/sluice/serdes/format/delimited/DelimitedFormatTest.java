package dev.sluice.serdes.format.delimited;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DelimitedFormatTest {
    private static final Schema SALES = Schema.of(new Column("id", ScalarType.BIGINT), new Column("item", ScalarType.VARCHAR),
            new Column("price", new DecimalType(8, 2)), new Column("ts", ScalarType.TIMESTAMP));

    private static Serde<Row> serde(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("format", "csv");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Formats.valueSerde(SALES, new FormatOptions("sales", m));
    }

    private static Row read(Serde<Row> s, String line) {
        return s.deserializer().deserialize("t", line.getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Serde<Row> s, Row row) {
        return new String(s.serializer().serialize("t", row), StandardCharsets.UTF_8);
    }

    @Test
    void readsColumnsByPositionWithTypedCells() {
        assertEquals(Row.of(1L, "apple", new BigDecimal("0.50"), 1705312803457L),
                read(serde(), "1,apple,0.5,2024-01-15 10:00:03.457\n"));
    }

    @Test
    void quotedFieldsKeepDelimitersNewlinesAndDoubledQuotes() {
        assertEquals(Row.of(2L, "big, \"red\"\napple", null, null), read(serde(), "2,\"big, \"\"red\"\"\napple\""));
        assertEquals("2,\"big, \"\"red\"\"\napple\",,", write(serde(), Row.of(2L, "big, \"red\"\napple", null, null)));
    }

    @Test
    void emptyFieldIsNullAndQuotedEmptyIsEmptyString() {
        assertEquals(Row.of(3L, "", null, null), read(serde(), "3,\"\",,"));
        assertEquals("3,\"\",,", write(serde(), Row.of(3L, "", null, null)));
        assertEquals(Row.of(3L, null, null, null), read(serde(), "3"));
    }

    @Test
    void customDelimiterAndQuote() {
        Serde<Row> s = serde("delimiter", "\\t", "quote_char", "'");
        assertEquals(Row.of(4L, "a\tb", new BigDecimal("1.00"), 0L), read(s, "4\t'a\tb'\t1\t0"));
        assertEquals("4\t'it''s'\t1.00\t1970-01-01T00:00:00.000Z", write(s, Row.of(4L, "it's", new BigDecimal("1.00"), 0L)));
    }

    @Test
    void headerRecordIsSkippedWhenHeaderIsTrue() {
        assertNull(read(serde("header", "true"), "ID, item ,Price,ts"));
        assertEquals("field id (column 1): expected BIGINT, got \"ID\"",
                assertThrows(SerializationException.class, () -> read(serde(), "ID,item,price,ts")).getMessage());
    }

    @Test
    void badCellsAndTooManyFieldsAreErrors() {
        assertEquals("field price (column 3): expected DECIMAL(8, 2), got \"cheap\"",
                assertThrows(SerializationException.class, () -> read(serde(), "1,a,cheap,0")).getMessage());
        assertEquals("delimited record has 5 fields, the schema has 4 columns [id, item, price, ts]",
                assertThrows(SerializationException.class, () -> read(serde(), "1,a,1,0,extra")).getMessage());
        assertEquals("delimited record: quoted field 2 is not closed by \"",
                assertThrows(SerializationException.class, () -> read(serde(), "1,\"open")).getMessage());
    }

    @Test
    void nestedColumnsAreRefused() {
        Schema s = Schema.of(new Column("tags", new ArrayType(ScalarType.VARCHAR)));
        assertEquals("The 'DELIMITED' format does not support type 'ARRAY': column tags is ARRAY<VARCHAR>; use json or avro "
                + "for nested data",
                assertThrows(IllegalArgumentException.class,
                        () -> Formats.valueSerde(s, new FormatOptions("t", Map.of("format", "delimited")))).getMessage());
    }
}
