package dev.sluice.serdes.format.kafka;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.format.Formats;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoneFormatTest {
    private static final FormatOptions OPTIONS = new FormatOptions("t", Map.of());

    @Test
    void aNoneKeyIgnoresWhateverBytesTheRecordKeyHoldsAndWritesNull() {
        Serde<Row> serde = Formats.lookup("none").orElseThrow().serde(new Schema(List.of()), OPTIONS, true);
        assertEquals(0, serde.deserializer().deserialize("t", "anything".getBytes(StandardCharsets.UTF_8)).size());
        assertNull(serde.deserializer().deserialize("t", null));
        assertNull(serde.serializer().serialize("t", new Row(new Object[0])));
    }

    @Test
    void columnsInANoneFormatAreRefusedInKsqlDbsWords() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NoneFormat().serde(
                Schema.of(new Column("K", ScalarType.VARCHAR)), OPTIONS, true));
        assertEquals("The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]", e.getMessage());
        var value = assertThrows(IllegalArgumentException.class, () -> new NoneFormat().serde(
                Schema.of(new Column("FOO", ScalarType.INTEGER)), OPTIONS, false));
        assertTrue(value.getMessage().endsWith("Got: [`FOO` INTEGER]"), value.getMessage());
    }

    /** ksqlDB's PARTITION BY NULL leaves a key column of type NULL, which holds nothing: NONE carries it. */
    @Test
    void aKeyColumnOfTypeNullIsCarriedAsNoKey() {
        Serde<Row> serde = new NoneFormat().serde(Schema.of(new Column("KSQL_COL_0", ScalarType.NULL)), OPTIONS, true);
        assertNull(serde.serializer().serialize("t", new Row(new Object[] {null})));
    }
}
