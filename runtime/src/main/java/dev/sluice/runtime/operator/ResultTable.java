package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

import java.util.Objects;

/**
 * Read access to the table an aggregate's rows are materialized into ({@code KStream#toTable} with
 * a named store just after the processor that forwards them): the row a key has now is the last
 * row forwarded for it. A processor connected to that store can so compare a new row with the
 * previous one through public API, where a KTable operator sees only the new value.
 */
public final class ResultTable {
    private final KeyValueStore<Row, ?> store;

    public ResultTable(StateStore store) {
        @SuppressWarnings("unchecked")
        KeyValueStore<Row, ?> kv = (KeyValueStore<Row, ?>) store;
        this.store = kv;
    }

    /** The key's row now; null when it has none. */
    public Row current(Row key) {
        Object found = store.get(key);
        if (found instanceof ValueAndTimestamp<?> v) {
            return (Row) v.value();
        }
        if (found instanceof ValueTimestampHeaders<?> v) {
            return (Row) v.value();
        }
        return (Row) found;
    }

    /** A key's row with the timestamp the table stored it at (the timestamp of the record that set it). */
    public record Timed(Row row, long timestamp) {
    }

    /** The key's row now and its timestamp; null when it has none. */
    public Timed currentTimed(Row key) {
        Object found = store.get(key);
        if (found == null) {
            return null;
        }
        if (found instanceof ValueAndTimestamp<?> v) {
            return v.value() == null ? null : new Timed((Row) v.value(), v.timestamp());
        }
        if (found instanceof ValueTimestampHeaders<?> v) {
            return v.value() == null ? null : new Timed((Row) v.value(), v.timestamp());
        }
        throw new IllegalStateException("the result table's store keeps no timestamps: " + found.getClass().getName());
    }

    /**
     * Whether forwarding {@code next} (null: a deletion) would change nothing downstream: always
     * for a deletion of a key without a row; for an equal row only when unchanged rows are dropped.
     */
    public boolean changesNothing(Row key, Row next, boolean dropUnchanged) {
        Row now = current(key);
        if (next == null) {
            return now == null;
        }
        return dropUnchanged && Objects.equals(now, next);
    }
}
