package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.runtime.plan.WindowedSource;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ksqlDB's windowed sources: the window read from WITH options, and keys read and written in Kafka Streams' layouts. */
class WindowedSourceKeysTest {
    private static final Serde<Row> TEXT = Serdes.serdeFrom(
            (t, r) -> r == null ? null : ((String) r.get(0)).getBytes(StandardCharsets.UTF_8),
            (t, b) -> b == null ? null : new Row(new Object[] {new String(b, StandardCharsets.UTF_8)}));

    private static FormatSpec format(Map<String, String> options) {
        return new FormatSpec("t", options);
    }

    @Test
    void windowComesFromWindowTypeAndSize() {
        assertTrue(WindowedSource.of(format(Map.of())).isEmpty());
        WindowSpec tumbling = WindowedSource.of(format(Map.of("window_type", "Tumbling", "window_size", "30 seconds")))
                .orElseThrow();
        assertEquals(WindowSpec.Kind.TUMBLE, tumbling.kind());
        assertEquals(30_000, tumbling.sizeMs());
        assertEquals(120_000, WindowedSource.of(format(Map.of("window_type", "HOPPING", "window_size", "2 MINUTE")))
                .orElseThrow().sizeMs());
        assertEquals(WindowSpec.Kind.SESSION, WindowedSource.of(format(Map.of("window_type", "session")))
                .orElseThrow().kind());
        assertThrows(IllegalArgumentException.class,
                () -> WindowedSource.of(format(Map.of("window_type", "tumbling", "window_size", "soon"))));
    }

    @Test
    void timeWindowKeyHoldsStartAndReadsEndFromSize() {
        WindowSpec window = new WindowSpec(WindowSpec.Kind.TUMBLE, 10, 10, 0, true);
        byte[] bytes = WindowedKeys.withWindow("k".getBytes(StandardCharsets.UTF_8), 20, 30, window);
        assertArrayEquals(ByteBuffer.allocate(9).put((byte) 'k').putLong(20).array(), bytes);
        Row row = WindowedKeys.serde(TEXT, window).deserializer().deserialize("t", bytes);
        assertEquals(new Row(new Object[] {"k", 20L, 30L}), row);
        assertArrayEquals(bytes, WindowedKeys.serde(TEXT, window).serializer().serialize("t", row));
    }

    @Test
    void sessionKeyHoldsEndThenStart() {
        WindowSpec window = new WindowSpec(WindowSpec.Kind.SESSION, 0, 0, 0, true);
        byte[] bytes = WindowedKeys.withWindow("k".getBytes(StandardCharsets.UTF_8), 5, 9, window);
        assertArrayEquals(ByteBuffer.allocate(17).put((byte) 'k').putLong(9).putLong(5).array(), bytes);
        assertEquals(new Row(new Object[] {"k", 5L, 9L}),
                WindowedKeys.serde(TEXT, window).deserializer().deserialize("t", bytes));
        assertNull(WindowedKeys.serde(TEXT, window).deserializer().deserialize("t", new byte[3]),
                "a key too short for a window is no key");
    }
}
