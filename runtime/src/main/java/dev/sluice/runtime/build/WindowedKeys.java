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
        boolean session = window.kind() == WindowSpec.Kind.SESSION;
        return (topic, row) -> {
            if (row == null) {
                return null;
            }
            int n = row.size() - 2;
            Object[] cols = new Object[n];
            for (int i = 0; i < n; i++) {
                cols[i] = row.get(i);
            }
            byte[] key = inner.serialize(topic, new Row(cols));
            key = key == null ? new byte[0] : key;
            long start = (Long) row.get(n);
            long end = (Long) row.get(n + 1);
            ByteBuffer buf = ByteBuffer.allocate(key.length + (session ? 16 : 8)).put(key);
            if (session) {
                buf.putLong(end);
            }
            return buf.putLong(start).array();
        };
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
