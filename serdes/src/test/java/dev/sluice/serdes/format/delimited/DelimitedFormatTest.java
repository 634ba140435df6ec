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

    private static final Schema TEXTS = Schema.of(new Column("a", ScalarType.VARCHAR), new Column("b", ScalarType.VARCHAR));

    private static Serde<Row> texts(boolean isKey, String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("format", "delimited");
        m.put("key_format", "delimited");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        FormatOptions options = new FormatOptions("t", m);
        return isKey ? Formats.keySerde(TEXTS, options) : Formats.valueSerde(TEXTS, options);
    }

    @Test
    void quotesAsKsqlDbsMinimalWriterDoes() {
        Serde<Row> s = texts(false);
        // the first field is quoted unless it starts with an ASCII letter or digit
        assertEquals("\"-10\",-10", write(s, Row.of("-10", "-10")));
        assertEquals("\"!\",\"!\"", write(s, Row.of("!", "!")));
        assertEquals("\"é\",é", write(s, Row.of("é", "é")));
        assertEquals("x,$y", write(s, Row.of("x", "$y")));
        // any field starting with a character up to '#', or ending with one up to ' '
        assertEquals("a,\"#b\"", write(s, Row.of("a", "#b")));
        assertEquals("a,\"\tb\"", write(s, Row.of("a", "\tb")));
        assertEquals("a,\"b \"", write(s, Row.of("a", "b ")));
        assertEquals("a,b c", write(s, Row.of("a", "b c")));
        // delimiter, quote, line breaks
        assertEquals("a,\"x,y\"", write(s, Row.of("a", "x,y")));
        assertEquals("a,\"x\"\"y\"", write(s, Row.of("a", "x\"y")));
        assertEquals("a,\"x\ny\"", write(s, Row.of("a", "x\ny")));
    }

    @Test
    void aKsqlDialectSinkQuotesTheEmptyStringInTheFirstFieldOnly() {
        Serde<Row> ksql = texts(false, dev.sluice.serdes.format.OptionKeys.NUMERIC_TEMPORALS, "true");
        assertEquals("\"\",", write(ksql, Row.of("", "")));
        assertEquals("s,", write(ksql, Row.of("s", "")));
        assertEquals("s,\"\"", write(texts(false), Row.of("s", "")));
    }

    @Test
    void quotedFieldsReadBackAsWritten() {
        Serde<Row> s = texts(false);
        String[] samples = {"-10", "!", " \t with white space \t", "\t wit", "#", "x,y", "x\"y", "\"", "a\r\nb", "", "é", "plain"};
        for (String a : samples) {
            for (String b : samples) {
                Row row = Row.of(a, b);
                assertEquals(row, read(s, write(s, row)), () -> "round trip of " + row);
            }
        }
        assertEquals(Row.of(null, null), read(s, write(s, Row.of(null, null))));
    }

    @Test
    void keyAndValueHaveTheirOwnDelimiters() {
        Serde<Row> key = texts(true, "key_delimiter", ";", "value_delimiter", "-");
        Serde<Row> value = texts(false, "key_delimiter", ";", "value_delimiter", "-");
        assertEquals(Row.of("foo,bar", "baz"), read(key, "foo,bar;baz"));
        assertEquals("foo,bar;baz", write(key, Row.of("foo,bar", "baz")));
        assertEquals(Row.of("0", "1"), read(value, "0-1"));
        assertEquals("a;b,c", write(texts(true), Row.of("a;b", "c")));
        assertEquals(Row.of("a", "b"), read(texts(true, "delimiter", "|"), "a|b"));
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
