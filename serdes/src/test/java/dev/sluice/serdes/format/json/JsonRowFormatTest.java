package dev.sluice.serdes.format.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.OptionKeys;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRowFormatTest {
    // 2024-01-15T10:00:03.457Z: 19737 days * 86400000 + 10h + 3.457s
    private static final long TS = 19737L * 86_400_000L + 10 * 3_600_000L + 3_457L;

    private static final Schema EVENTS = Schema.of(
            new Column("user_id", ScalarType.VARCHAR),
            new Column("latency_ms", ScalarType.BIGINT),
            new Column("ts", ScalarType.TIMESTAMP));

    private static Serde<Row> serde(Schema schema) {
        return JsonRowFormat.json().serde(schema, new FormatOptions("t", Map.of()), false);
    }

    private static Serde<Row> strictSerde(Schema schema) {
        return JsonRowFormat.json().serde(schema, new FormatOptions("t", Map.of("json.strict", "true")), false);
    }

    private static Row read(Serde<Row> serde, String json) {
        return serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Serde<Row> serde, Row row) {
        return new String(serde.serializer().serialize("t", row), StandardCharsets.UTF_8);
    }

    private static String error(Serde<Row> serde, String json) {
        return assertThrows(SerializationException.class, () -> read(serde, json)).getMessage();
    }

    @Test
    void readsTimestampFromIsoWithZone() {
        assertEquals(Row.of("u", 5L, TS), read(serde(EVENTS), "{\"user_id\":\"u\",\"latency_ms\":5,\"ts\":\"2024-01-15T10:00:03.457Z\"}"));
    }

    @Test
    void readsTimestampFromIsoWithOffsetAndWithoutZoneAsUtc() {
        Serde<Row> s = serde(EVENTS);
        assertEquals(TS, read(s, "{\"ts\":\"2024-01-15T11:00:03.457+01:00\"}").get(2));
        assertEquals(TS, read(s, "{\"ts\":\"2024-01-15T10:00:03.457\"}").get(2));
        assertEquals(TS - 457, read(s, "{\"ts\":\"2024-01-15T10:00:03\"}").get(2));
        assertEquals(TS, read(s, "{\"ts\":\"2024-01-15T10:00:03.457123456Z\"}").get(2));
    }

    @Test
    void readsTimestampFromSqlSpaceFormAsUtc() {
        Serde<Row> s = serde(EVENTS);
        assertEquals(TS, read(s, "{\"ts\":\"2024-01-15 10:00:03.457\"}").get(2));
        assertEquals(TS - 457, read(s, "{\"ts\":\"2024-01-15 10:00:03\"}").get(2));
        assertEquals(TS - 57, read(s, "{\"ts\":\"2024-01-15 10:00:03.4\"}").get(2));
    }

    @Test
    void readsTimestampFromEpochMillisNumberOrString() {
        Serde<Row> s = serde(EVENTS);
        assertEquals(TS, read(s, "{\"ts\":1705312803457}").get(2));
        assertEquals(TS, read(s, "{\"ts\":\"1705312803457\"}").get(2));
    }

    @Test
    void writesTimestampAsIsoUtcWithMillis() {
        assertEquals("{\"user_id\":\"u\",\"latency_ms\":5,\"ts\":\"2024-01-15T10:00:03.457Z\"}",
                write(serde(EVENTS), Row.of("u", 5L, TS)));
        assertEquals("{\"user_id\":null,\"latency_ms\":null,\"ts\":\"1970-01-01T00:00:00.000Z\"}",
                write(serde(EVENTS), Row.of(null, null, 0L)));
        assertEquals("{\"user_id\":null,\"latency_ms\":null,\"ts\":\"1969-12-31T23:59:59.999Z\"}",
                write(serde(EVENTS), Row.of(null, null, -1L)));
    }

    @Test
    void missingFieldIsNullAndUnknownFieldIsIgnored() {
        assertEquals(Row.of("u", null, null), read(serde(EVENTS), "{\"user_id\":\"u\",\"extra\":{\"a\":[1,2]}}"));
    }

    @Test
    void matchesExactNameFirstThenIgnoringCase() {
        Serde<Row> s = serde(EVENTS);
        assertEquals(Row.of("x", 7L, null), read(s, "{\"USER_ID\":\"x\",\"Latency_Ms\":7}"));
        // the exact match wins whichever order the fields come in
        assertEquals("exact", read(s, "{\"USER_ID\":\"ci\",\"user_id\":\"exact\"}").get(0));
        assertEquals("exact", read(s, "{\"user_id\":\"exact\",\"USER_ID\":\"ci\"}").get(0));
    }

    @Test
    void acceptsNumbersGivenAsStrings() {
        assertEquals(Row.of("u", 42L, null), read(serde(EVENTS), "{\"user_id\":\"u\",\"latency_ms\":\"42\"}"));
    }

    @Test
    void wrongTypeNamesFieldExpectedTypeAndValue() {
        assertEquals("field latency_ms: expected BIGINT, got \"abc\"", error(serde(EVENTS), "{\"latency_ms\":\"abc\"}"));
        assertEquals("field latency_ms: expected BIGINT, got {\"a\":1}", error(serde(EVENTS), "{\"latency_ms\":{\"a\":1}}"));
        assertEquals("field latency_ms: expected BIGINT, got 1.5", error(strictSerde(EVENTS), "{\"latency_ms\":1.5}"));
        Schema d = Schema.of(new Column("price", ScalarType.DOUBLE));
        assertEquals("field price: expected DOUBLE, got \"abc\"", error(serde(d), "{\"price\":\"abc\"}"));
        assertEquals("field ts: expected TIMESTAMP(3), got \"yesterday\"", error(serde(EVENTS), "{\"ts\":\"yesterday\"}"));
    }

    @Test
    void integerOutOfRangeIsAnError() {
        Schema s = Schema.of(new Column("n", ScalarType.INTEGER));
        assertEquals("field n: expected INTEGER, got 2147483648 (out of range)", error(serde(s), "{\"n\":2147483648}"));
        assertEquals(Row.of(2147483647), read(serde(s), "{\"n\":2147483647}"));
        assertEquals(Row.of(3), read(serde(s), "{\"n\":3.0}"));
    }

    @Test
    void aFractionInAnIntegerColumnIsCutTowardZeroUnlessStrict() {
        // as ksqlDB's and Flink's JSON readers (math.json "trunc - integer" reads -1.7 as -1)
        Schema s = Schema.of(new Column("n", ScalarType.INTEGER), new Column("b", ScalarType.BIGINT));
        assertEquals(Row.of(-1, 2L), read(serde(s), "{\"n\":-1.7,\"b\":2.9}"));
        assertEquals(Row.of(0, null), read(serde(s), "{\"n\":0.5e0}"));
        assertEquals("field n: expected INTEGER, got 2147483648.5 (out of range)", error(serde(s), "{\"n\":2147483648.5}"));
        assertTrue(error(serde(s), "{\"b\":1e400}").startsWith("field b: expected BIGINT"));
        assertEquals("field n: expected INTEGER, got -1.7", error(strictSerde(s), "{\"n\":-1.7}"));
    }

    @Test
    void invalidJsonIsShortSerializationException() {
        String msg = error(serde(EVENTS), "{\"user_id\": nope}");
        assertTrue(msg.startsWith("invalid JSON: "), msg);
        assertTrue(msg.length() < 200, msg);
        assertTrue(msg.contains("line 1"), msg);
        assertEquals("expected a JSON object, got [1,2]", error(serde(EVENTS), "[1,2]"));
        assertEquals("invalid JSON: more data after the object", error(serde(EVENTS), "{} {}"));
    }

    @Test
    void nullBytesAndJsonNullAreNullRows() {
        assertNull(serde(EVENTS).deserializer().deserialize("t", null));
        assertNull(read(serde(EVENTS), "null"));
        assertNull(serde(EVENTS).serializer().serialize("t", null));
    }

    @Test
    void roundTripsEveryType() {
        Schema all = Schema.of(
                new Column("s", ScalarType.VARCHAR),
                new Column("b", ScalarType.BOOLEAN),
                new Column("i", ScalarType.INTEGER),
                new Column("l", ScalarType.BIGINT),
                new Column("d", ScalarType.DOUBLE),
                new Column("dec", new DecimalType(10, 2)),
                new Column("ts", ScalarType.TIMESTAMP),
                new Column("tsl", ScalarType.TIMESTAMP_LTZ),
                new Column("day", ScalarType.DATE),
                new Column("iv", ScalarType.INTERVAL),
                new Column("bytes", ScalarType.BYTES),
                new Column("v", ScalarType.VARIANT),
                new Column("arr", new ArrayType(ScalarType.INTEGER)),
                new Column("m", new MapType(ScalarType.VARCHAR, ScalarType.DOUBLE)),
                new Column("st", new StructType(List.of(new Column("zip", ScalarType.VARCHAR),
                        new Column("n", ScalarType.BIGINT)))));
        ObjectNode variant = JsonNodeFactory.instance.objectNode().put("k", 1);
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("a", 1.5);
        map.put("b", null);
        Row row = Row.of("héllo \"q\"", true, -7, 1L << 40, 0.25, new BigDecimal("1000.50"), TS, TS, 19737, 1500L,
                new byte[] {1, 2, 3}, variant, java.util.Arrays.asList(1, null, 3), map, Row.of("75001", 9L));
        Serde<Row> s = serde(all);
        String json = write(s, row);
        assertEquals("{\"s\":\"héllo \\\"q\\\"\",\"b\":true,\"i\":-7,\"l\":1099511627776,\"d\":0.25,\"dec\":1000.50,"
                + "\"ts\":\"2024-01-15T10:00:03.457Z\",\"tsl\":\"2024-01-15T10:00:03.457Z\",\"day\":\"2024-01-15\","
                + "\"iv\":1500,\"bytes\":\"AQID\",\"v\":{\"k\":1},\"arr\":[1,null,3],\"m\":{\"a\":1.5,\"b\":null},"
                + "\"st\":{\"zip\":\"75001\",\"n\":9}}", json);
        Row back = read(s, json);
        assertEquals(row, back);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.get(10));
    }

    @Test
    void decimalIsExactRoundedToScaleAndWrittenPlain() {
        Schema s = Schema.of(new Column("amount", new DecimalType(20, 2)));
        assertEquals(Row.of(new BigDecimal("12345678901234567.89")), read(serde(s), "{\"amount\":12345678901234567.891}"));
        assertEquals(Row.of(new BigDecimal("0.13")), read(serde(s), "{\"amount\":\"0.125\"}"));
        assertEquals("{\"amount\":1000.00}", write(serde(s), Row.of(new BigDecimal("1E+3").setScale(2))));
        Schema small = Schema.of(new Column("amount", new DecimalType(4, 2)));
        assertEquals("field amount: expected DECIMAL(4, 2), got 123.4 (too many digits for DECIMAL(4, 2))",
                error(serde(small), "{\"amount\":123.4}"));
    }

    @Test
    void dateReadsIsoDateAndEpochDays() {
        Schema s = Schema.of(new Column("d", ScalarType.DATE));
        assertEquals(Row.of(19737), read(serde(s), "{\"d\":\"2024-01-15\"}"));
        assertEquals(Row.of(19737), read(serde(s), "{\"d\":19737}"));
        assertEquals("field d: expected DATE, got \"15/01/2024\"", error(serde(s), "{\"d\":\"15/01/2024\"}"));
    }

    @Test
    void timeReadsTextAndMillisOfTheDayAndWritesEitherByDialect() {
        Schema s = Schema.of(new Column("t", ScalarType.TIME));
        assertEquals(Row.of(10), read(serde(s), "{\"t\":\"00:00:00.010\"}"));
        assertEquals(Row.of(65_000), read(serde(s), "{\"t\":65000}"));
        assertEquals("field t: expected TIME, got 86400000", error(serde(s), "{\"t\":86400000}"));
        assertEquals("{\"t\":\"00:01:05.000\"}", write(serde(s), Row.of(65_000)));
        Serde<Row> ksql = JsonRowFormat.json().serde(s,
                new FormatOptions("t", Map.of(OptionKeys.NUMERIC_TEMPORALS, "true")), false);
        assertEquals("{\"t\":65000}", write(ksql, Row.of(65_000)));
    }

    @Test
    void aKsqlDbKeyOfOneColumnIsItsBareValueAndOfSeveralAnObject() {
        FormatOptions ksql = new FormatOptions("t", Map.of(OptionKeys.UNWRAPPED_SINGLE_KEY, "true"));
        Schema one = Schema.of(new Column("NAME", ScalarType.VARCHAR));
        Serde<Row> key = JsonRowFormat.json().serde(one, ksql, true);
        assertEquals(Row.of("bob"), read(key, "\"bob\""));
        assertEquals("\"bob\"", write(key, Row.of("bob")));
        Schema struct = Schema.of(new Column("ID", new StructType(List.of(new Column("F1", ScalarType.INTEGER)))));
        assertEquals(Row.of(Row.of(1)), read(JsonRowFormat.json().serde(struct, ksql, true), "{\"F1\":1}"));
        Schema two = Schema.of(new Column("ID", ScalarType.INTEGER), new Column("NAME", ScalarType.VARCHAR));
        assertEquals("{\"ID\":10,\"NAME\":\"bob\"}", write(JsonRowFormat.json().serde(two, ksql, true), Row.of(10, "bob")));
        // without the option (Flink's dialect) a key is an object, and a value of one column too
        assertEquals("{\"NAME\":\"bob\"}", write(JsonRowFormat.json().serde(one, new FormatOptions("t", Map.of()), true),
                Row.of("bob")));
        assertEquals("{\"NAME\":\"bob\"}", write(JsonRowFormat.json().serde(one, ksql, false), Row.of("bob")));
    }

    @Test
    void nestedErrorsNameThePath() {
        Schema s = Schema.of(new Column("user", new StructType(List.of(new Column("age", ScalarType.INTEGER)))),
                new Column("tags", new ArrayType(ScalarType.BIGINT)));
        assertEquals("field user.age: expected INTEGER, got true", error(serde(s), "{\"user\":{\"age\":true}}"));
        assertEquals("field tags[]: expected BIGINT, got \"x\"", error(serde(s), "{\"tags\":[1,\"x\"]}"));
    }

    @Test
    void lenientVarcharKeepsScalarsAndNestedJsonAsText() {
        Schema s = Schema.of(new Column("payload", ScalarType.VARCHAR), new Column("n", ScalarType.VARCHAR));
        assertEquals(Row.of("{\"a\":[1,2]}", "12.50"), read(serde(s), "{\"payload\":{\"a\":[1,2]},\"n\":12.50}"));
    }

    @Test
    void strictModeRejectsUnknownFieldsCoercionsAndMissingNotNull() {
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT, false), new Column("name", ScalarType.VARCHAR));
        Serde<Row> strict = strictSerde(s);
        assertEquals(Row.of(1L, "a"), read(strict, "{\"id\":1,\"name\":\"a\"}"));
        assertEquals("field extra: not in the schema (strict JSON rejects unknown fields)",
                error(strict, "{\"id\":1,\"extra\":2}"));
        assertEquals("field id: expected BIGINT, got \"1\"", error(strict, "{\"id\":\"1\"}"));
        assertEquals("field name: expected VARCHAR, got 5", error(strict, "{\"id\":1,\"name\":5}"));
        assertEquals("field id: missing, and the column is NOT NULL", error(strict, "{\"name\":\"a\"}"));
        assertEquals("field id: null for a NOT NULL column", error(strict, "{\"id\":null}"));
    }

    @Test
    void jsonSrSkipsConfluentHeaderAndIsStrict() {
        Schema s = Schema.of(new Column("id", ScalarType.BIGINT));
        Serde<Row> sr = JsonRowFormat.jsonStrict().serde(s, new FormatOptions("t", Map.of()), false);
        byte[] framed = {0, 0, 0, 0, 7, '{', '"', 'i', 'd', '"', ':', '3', '}'};
        assertEquals(Row.of(3L), sr.deserializer().deserialize("t", framed));
        assertEquals("field id: expected BIGINT, got \"3\"", error(sr, "{\"id\":\"3\"}"));
    }
}
