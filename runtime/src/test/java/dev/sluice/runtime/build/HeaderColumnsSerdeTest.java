package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.HeaderColumns;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ksqlDB's header columns: the JSON value holds only the other columns, and HEADERS / HEADER('k') are
 * filled from the record's headers in their declared places (the last header of a key wins).
 */
class HeaderColumnsSerdeTest {
    private static final Schema VALUE = new Schema(List.of(
            new Column("H", HeaderColumns.ALL_TYPE, true),
            new Column("V", ScalarType.BIGINT, true),
            new Column("ABC", ScalarType.BYTES, true)));
    private static final HeaderColumns HEADERS = new HeaderColumns(List.of(
            new HeaderColumns.Binding("H", Optional.empty()), new HeaderColumns.Binding("ABC", Optional.of("abc"))));
    private static final FormatSpec JSON = new FormatSpec("t", Map.of("value_format", "JSON",
            HeaderColumns.PROPERTY, HEADERS.encode()));

    private static Serde<Row> serde() {
        FormatSerdeFactory formats = new FormatSerdeFactory();
        return HeaderColumnsSerde.of(VALUE, HeaderColumns.of(JSON), payload -> {
            assertEquals(List.of("V"), payload.names(), "the value format sees only the payload's columns");
            return formats.value(payload, JSON);
        });
    }

    @Test
    void bindingsSurviveTheFormatProperty() {
        assertEquals(HEADERS, HeaderColumns.of(JSON));
        assertTrue(HeaderColumns.of(new FormatSpec("t", Map.of())).isEmpty());
    }

    @Test
    void headerColumnsAreReadFromTheRecordHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("abc", new byte[] {26});
        headers.add("def", null);
        headers.add("abc", new byte[] {33});
        Row row = serde().deserializer().deserialize("t", headers, "{\"V\": 7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, row.size());
        assertEquals(7L, ((Number) row.get(1)).longValue());
        assertArrayEquals(new byte[] {33}, (byte[]) row.get(2), "HEADER('abc') is the last header of that key");
        List<?> all = (List<?>) row.get(0);
        assertEquals(3, all.size());
        assertEquals("abc", ((Row) all.get(0)).get(0));
        assertArrayEquals(new byte[] {26}, (byte[]) ((Row) all.get(0)).get(1));
        assertEquals("def", ((Row) all.get(1)).get(0));
        assertNull(((Row) all.get(1)).get(1), "a header without a value has a NULL VALUE");
    }

    @Test
    void missingHeadersAreEmptyOrNullAndTombstonesStay() {
        Row row = serde().deserializer().deserialize("t", new RecordHeaders(), "{\"V\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), row.get(0));
        assertNull(row.get(2));
        assertNull(serde().deserializer().deserialize("t", new RecordHeaders(), (byte[]) null));
    }

    @Test
    void theSerializerWritesOnlyThePayload() {
        byte[] written = serde().serializer().serialize("t", new Row(new Object[] {List.of(), 5L, new byte[] {1}}));
        assertEquals("{\"V\":5}", new String(written, StandardCharsets.UTF_8));
    }
}
