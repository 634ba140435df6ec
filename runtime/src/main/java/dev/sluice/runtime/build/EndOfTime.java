package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The replay-only heartbeat that closes every window at the end of the input (see
 * {@link BuildOptions}). Its value is a marker row recognised by identity; it never leaves the
 * sub-topology it enters, so identity survives. Its window lies at {@link #TIMESTAMP} and is
 * filtered from the output.
 */
public final class EndOfTime {
    /** 9999-12-31T00:00:00Z: later than any real event, far from Long overflow in window math. */
    public static final long TIMESTAMP = 253402214400000L;

    /** Windows starting at or after this belong to the heartbeat. */
    public static final long WINDOW_THRESHOLD = TIMESTAMP - 366L * 24 * 3600 * 1000;

    public static final Row MARKER = new Row(new Object[0]);

    private EndOfTime() {
    }

    public static String topic(String stepName) {
        return stepName + "-end-of-time";
    }

    /** Deserializes anything into the marker value, and a key row of NULLs of the given width. */
    public static Serde<Row> valueSerde() {
        return constant(MARKER);
    }

    public static Serde<Row> keySerde(int keyWidth) {
        return constant(new Row(new Object[keyWidth]));
    }

    private static Serde<Row> constant(Row row) {
        Serializer<Row> ser = (topic, data) -> new byte[0];
        Deserializer<Row> de = (topic, data) -> row;
        return Serdes.serdeFrom(ser, de);
    }
}
