package dev.sluice.serdes.format.kafka;

import dev.sluice.serdes.format.FormatOptions;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaPrimitiveFormatTest {
    private static Serde<Row> serde(ScalarType type) {
        return new KafkaPrimitiveFormat("kafka").serde(Schema.of(new Column("k", type)), new FormatOptions("t", Map.of()), true);
    }

    private static byte[] write(ScalarType type, Object v) {
        return serde(type).serializer().serialize("t", Row.of(v));
    }

    @Test
    void bytesEqualKafkasOwnSerializersAndHandComputedValues() {
        assertArrayEquals(new StringSerializer().serialize("t", "é1"), write(ScalarType.VARCHAR, "é1"));
        assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9, '1'}, write(ScalarType.VARCHAR, "é1"));
        assertArrayEquals(new IntegerSerializer().serialize("t", 258), write(ScalarType.INTEGER, 258));
        assertArrayEquals(new byte[] {0, 0, 1, 2}, write(ScalarType.INTEGER, 258));
        assertArrayEquals(new LongSerializer().serialize("t", -2L), write(ScalarType.BIGINT, -2L));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -2}, write(ScalarType.BIGINT, -2L));
        assertArrayEquals(new DoubleSerializer().serialize("t", 1.5), write(ScalarType.DOUBLE, 1.5));
        // 1.5 = 0x3FF8000000000000
        assertArrayEquals(new byte[] {0x3F, (byte) 0xF8, 0, 0, 0, 0, 0, 0}, write(ScalarType.DOUBLE, 1.5));
    }

    @Test
    void readsWhatKafkasSerializersWrote() {
        assertEquals(Row.of(7L), serde(ScalarType.BIGINT).deserializer().deserialize("t", new LongSerializer().serialize("t", 7L)));
        assertEquals(Row.of("x"), serde(ScalarType.VARCHAR).deserializer().deserialize("t", new byte[] {'x'}));
    }

    @Test
    void wrongLengthNamesColumnAndExpectedSize() {
        assertEquals("field k: expected BIGINT in KAFKA format (8 bytes), got 3 bytes",
                assertThrows(SerializationException.class,
                        () -> serde(ScalarType.BIGINT).deserializer().deserialize("t", new byte[3])).getMessage());
    }

    @Test
    void refusesSeveralColumnsOrOtherTypes() {
        KafkaPrimitiveFormat f = new KafkaPrimitiveFormat("kafka");
        FormatOptions o = new FormatOptions("t", Map.of());
        assertEquals("The 'KAFKA' format only supports a single field. Got: [`a` INTEGER, `b` STRING]",
                assertThrows(IllegalArgumentException.class, () -> f.serde(Schema.of(new Column("a", ScalarType.INTEGER),
                        new Column("b", ScalarType.VARCHAR)), o, true)).getMessage());
        assertEquals("The 'KAFKA' format does not support type 'TIMESTAMP': column ts is TIMESTAMP(3); it carries VARCHAR, "
                + "INTEGER, BIGINT, DOUBLE and BYTES",
                assertThrows(IllegalArgumentException.class,
                        () -> f.serde(Schema.of(new Column("ts", ScalarType.TIMESTAMP)), o, true)).getMessage());
    }
}
