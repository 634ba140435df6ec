package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
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

    /**
     * The step's heartbeat source ({@code <step>-end-of-time-source} reading {@code <step>-end-of-time}),
     * its topic registered so that replay writes the heartbeat there after the input. Every record
     * read deserializes to a key row of {@code keyWidth} NULLs and the {@link #MARKER} value.
     */
    static KStream<Row, Row> source(String stepName, int keyWidth, BuildContext ctx) {
        return source(stepName, keySerde(keyWidth), valueSerde(), ctx);
    }

    /** As {@link #source(String, int, BuildContext)}, with the heartbeat's key and value given by the step. */
    static KStream<Row, Row> source(String stepName, Serde<Row> keySerde, Serde<Row> valueSerde, BuildContext ctx) {
        String topic = topic(stepName);
        ctx.endOfTimeTopics.add(topic);
        return ctx.streams.stream(topic, Consumed.with(keySerde, valueSerde).withName(stepName + "-end-of-time-source"));
    }

    /** {@code stream} with the step's heartbeat merged in ({@code <step>-end-of-time-merge}). */
    static KStream<Row, Row> mergeInto(KStream<Row, Row> stream, String stepName, int keyWidth, BuildContext ctx) {
        return stream.merge(source(stepName, keyWidth, ctx), Named.as(stepName + "-end-of-time-merge"));
    }

    /** A serde that writes nothing and reads every record as {@code row}. */
    static Serde<Row> constant(Row row) {
        Serializer<Row> ser = (topic, data) -> new byte[0];
        Deserializer<Row> de = (topic, data) -> row;
        return Serdes.serdeFrom(ser, de);
    }
}
