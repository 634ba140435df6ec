package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Record keys that carry a window, in Kafka Streams' layouts (which ksqlDB writes): a time window is
 * the key bytes then the 8-byte start; a session is the key bytes, the 8-byte end, then the 8-byte
 * start. Rows here are the key columns followed by the window start and end.
 */
public final class WindowedKeys {
    private WindowedKeys() {
    }

    /** A decoded windowed key: the key columns' row (null when the key had no bytes) and the bounds. */
    public record Decoded(Row key, long start, long end) {
    }

    public static Serializer<Row> serializer(Serializer<Row> inner, WindowSpec window) {
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            int n = row.size() - 2;
            Object[] cols = new Object[n];
            for (int i = 0; i < n; i++) {
                cols[i] = row.get(i);
            }
            return withWindow(inner.serialize(topic, new Row(cols)), (Long) row.get(n), (Long) row.get(n + 1), window);
        };
    }

    /** A record key's bytes (null for none) followed by the window, in {@code window}'s layout. */
    public static byte[] withWindow(byte[] key, long start, long end, WindowSpec window) {
        boolean session = window.kind() == WindowSpec.Kind.SESSION;
        byte[] bytes = key == null ? new byte[0] : key;
        ByteBuffer buf = ByteBuffer.allocate(bytes.length + (session ? 16 : 8)).put(bytes);
        if (session) {
            buf.putLong(end);
        }
        return buf.putLong(start).array();
    }

    /**
     * A serde of windowed keys as rows: the key columns followed by the window start and end. A key
     * too short to hold a window is read as no key (null).
     */
    public static org.apache.kafka.common.serialization.Serde<Row> serde(
            org.apache.kafka.common.serialization.Serde<Row> inner, WindowSpec window) {
        Deserializer<Row> keys = inner.deserializer();
        int tail = window.kind() == WindowSpec.Kind.SESSION ? 16 : 8;
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer(inner.serializer(), window),
                (topic, bytes) -> {
                    if (bytes == null || bytes.length < tail) {
                        return null;
                    }
                    Decoded d = decode(bytes, keys, topic, window);
                    int n = d.key() == null ? 0 : d.key().size();
                    Object[] out = new Object[n + 2];
                    for (int i = 0; i < n; i++) {
                        out[i] = d.key().get(i);
                    }
                    out[n] = d.start();
                    out[n + 1] = d.end();
                    return new Row(out);
                });
    }

    public static Decoded decode(byte[] bytes, Deserializer<Row> inner, String topic, WindowSpec window) {
        boolean session = window.kind() == WindowSpec.Kind.SESSION;
        int tail = session ? 16 : 8;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[] key = Arrays.copyOf(bytes, bytes.length - tail);
        long end;
        long start;
        if (session) {
            end = buf.getLong(bytes.length - 16);
            start = buf.getLong(bytes.length - 8);
        } else {
            start = buf.getLong(bytes.length - 8);
            end = start + window.sizeMs();
        }
        return new Decoded(key.length == 0 ? null : inner.deserialize(topic, key), start, end);
    }
}
