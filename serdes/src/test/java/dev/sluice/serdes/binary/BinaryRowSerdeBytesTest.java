package dev.sluice.serdes.binary;

import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The bytes {@link BinaryRowSerde} writes through the thread's reused {@link ScratchOutput} buffer
 * are the bytes the same {@link ValueCodec} encoding gives over a plain {@code DataOutputStream}
 * (the format's definition, and the path that writes strings through {@code getBytes}), for varied
 * rows written one after another: a shorter row after a longer one leaves nothing of it behind.
 */
class BinaryRowSerdeBytesTest {
    private static final StructType POINT = new StructType(List.of(new Column("x", ScalarType.DOUBLE),
            new Column("label", ScalarType.VARCHAR), new Column("tags", new ArrayType(ScalarType.VARCHAR))));
    private static final Schema SCHEMA = Schema.of(new Column("id", ScalarType.BIGINT),
            new Column("name", ScalarType.VARCHAR), new Column("n", ScalarType.INTEGER),
            new Column("ok", ScalarType.BOOLEAN), new Column("amount", new DecimalType(20, 3)),
            new Column("raw", ScalarType.BYTES), new Column("point", POINT),
            new Column("points", new ArrayType(POINT)),
            new Column("scores", new MapType(ScalarType.VARCHAR, new ArrayType(ScalarType.BIGINT))),
            new Column("ts", ScalarType.TIMESTAMP));

    private static final String[] TEXTS = {"", "a", "bidder-42", "ünïcødé", "日本語テキスト", "emoji \uD83D\uDE00 pair",
            "x".repeat(3000), "mixed ascii then é at the end"};

    @Test
    void encodesTheBytesOfTheReferenceEncodingForVariedRows() throws IOException {
        BinaryRowSerde serde = new BinaryRowSerde(SCHEMA);
        Random random = new Random(13);
        for (int i = 0; i < 400; i++) {
            Row row = randomRow(random);
            byte[] bytes = serde.encode(row);
            assertArrayEquals(reference(row), bytes, "row " + row);
            assertEquals(row, serde.decode(bytes));
        }
    }

    @Test
    void writesANestedRowFieldByField() {
        BinaryRowSerde serde = new BinaryRowSerde(Schema.of(new Column("point", POINT)));
        long x = Double.doubleToLongBits(1.5);
        byte[] expected = {1, 1, // version, the row present
                1, (byte) (x >>> 56), (byte) (x >>> 48), 0, 0, 0, 0, 0, 0, // x
                1, 0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9, // "é": UTF-8 length and bytes
                0}; // tags NULL
        assertArrayEquals(expected, serde.encode(Row.of(Row.of(1.5, "é", null))));
    }

    @Test
    void theResultIsNeverTheReusedBuffer() {
        BinaryRowSerde serde = new BinaryRowSerde(Schema.of(new Column("id", ScalarType.BIGINT)));
        byte[] first = serde.encode(Row.of(1L));
        byte[] second = serde.encode(Row.of(2L));
        assertNotSame(first, second);
        assertArrayEquals(new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 1}, first); // not overwritten by the second
    }

    @Test
    void anEncodingInsideAnotherGetsItsOwnBuffer() {
        ByteArrayDataOutput outer = ScratchOutput.take();
        outer.writeInt(7);
        BinaryRowSerde serde = new BinaryRowSerde(Schema.of(new Column("s", ScalarType.VARCHAR)));
        byte[] inner = serde.encode(Row.of("inner"));
        outer.writeInt(8);
        assertArrayEquals(new byte[] {0, 0, 0, 7, 0, 0, 0, 8}, outer.copyBytes());
        ScratchOutput.give(outer);
        assertEquals(Row.of("inner"), serde.decode(inner));
    }

    private static byte[] reference(Row row) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(BinaryRowSerde.FORMAT_VERSION);
        ValueCodec.writeRow(out, SCHEMA.columns().stream().map(Column::type).toList(), row);
        out.flush();
        return bytes.toByteArray();
    }

    private static Row randomRow(Random random) {
        return Row.of(
                maybe(random, () -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(100)),
                maybe(random, () -> text(random)),
                maybe(random, () -> random.nextInt()),
                maybe(random, () -> random.nextBoolean()),
                maybe(random, () -> BigDecimal.valueOf(random.nextLong(), 3)),
                maybe(random, () -> {
                    byte[] raw = new byte[random.nextInt(40)];
                    random.nextBytes(raw);
                    return raw;
                }),
                maybe(random, () -> point(random)),
                maybe(random, () -> {
                    List<Object> points = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        points.add(random.nextInt(5) == 0 ? null : point(random));
                    }
                    return points;
                }),
                maybe(random, () -> {
                    Map<Object, Object> scores = new LinkedHashMap<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        scores.put(text(random), random.nextInt(4) == 0 ? null
                                : Arrays.asList(random.nextLong(), null, (long) i));
                    }
                    return scores;
                }),
                maybe(random, () -> random.nextLong()));
    }

    private static Row point(Random random) {
        return Row.of(maybe(random, () -> random.nextDouble()), maybe(random, () -> text(random)),
                maybe(random, () -> Arrays.asList(text(random), null)));
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }

    private static Object maybe(Random random, java.util.function.Supplier<Object> value) {
        return random.nextInt(5) == 0 ? null : value.get();
    }
}
