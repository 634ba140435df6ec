package dev.sluice.serdes.binary;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinaryRowSerdeTest {
    private final Schema schema = Schema.of(new Column("id", ScalarType.BIGINT), new Column("name", ScalarType.VARCHAR),
            new Column("amount", new DecimalType(10, 2)), new Column("tags", new ArrayType(ScalarType.INTEGER)));
    private final BinaryRowSerde serde = new BinaryRowSerde(schema);

    @Test
    void writesVersionByteThenPresenceAndValues() {
        byte[] bytes = serde.encode(Row.of(5L, null, null, null));
        // version 1 | present, 8-byte big-endian 5 | three absent columns
        assertArrayEquals(new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0}, bytes);
    }

    @Test
    void roundTripsRows() {
        Row row = Row.of(-3L, "ünï", new BigDecimal("12.34"), Arrays.asList(1, null, 2));
        assertEquals(row, serde.deserializer().deserialize("t", serde.serializer().serialize("t", row)));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void rejectsOtherVersionAndTruncatedRecords() {
        assertEquals("internal row format: expected version byte 1, got 2 (written by another Sluice version, or not an internal topic)",
                assertThrows(SerializationException.class, () -> serde.decode(new byte[] {2, 0})).getMessage());
        byte[] ok = serde.encode(Row.of(5L, "abc", null, null));
        byte[] cut = Arrays.copyOf(ok, ok.length - 4);
        assertEquals("internal row format: record truncated (" + cut.length + " bytes)",
                assertThrows(SerializationException.class, () -> serde.decode(cut)).getMessage());
    }
}
