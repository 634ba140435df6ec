package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a stream back in event-time order, as Flink's event-time operators do: rows wait in a store
 * keyed by (event time, arrival number), which iterates in that order, until the watermark passes
 * them. The watermark is the one Flink SQL's {@code WATERMARK FOR t AS t - delay} generates: the
 * largest timestamp seen minus the delay (no extra millisecond, unlike the DataStream API's
 * bounded-out-of-orderness strategy). A row at or behind the watermark when it arrives could no
 * longer be put in order: it is late ({@link LateRecordException}: logged, counted, dead-lettered by
 * the processing exception handler), as Flink drops a row whose time is not after the current
 * watermark. Rows of equal time (peers) therefore always leave together: once the watermark reaches
 * their time, another row of that time is late. Used by the OVER aggregation and by LAG/LEAD.
 *
 * <p>The largest timestamp seen lives in memory; after a restart it is recovered from the rows still
 * waiting (rows released before the restart are not in the store), so the watermark can only be
 * lower than before, never drop a row that was on time.
 */
final class EventTimeSortBuffer {
    /** A released row: its key, its value, its event time. */
    record Due(Row key, Row value, long timestamp) {
    }

    private final KeyValueStore<Row, Row> waiting;
    private final long delay;
    private long maxTimestamp = Long.MIN_VALUE;
    private long arrivals;

    EventTimeSortBuffer(KeyValueStore<Row, Row> waiting, long delay) {
        this.waiting = waiting;
        this.delay = delay;
        try (KeyValueIterator<Row, Row> all = waiting.all()) {
            while (all.hasNext()) {
                Row order = all.next().key;
                maxTimestamp = Math.max(maxTimestamp, (Long) order.get(0));
                arrivals = Math.max(arrivals, (Long) order.get(1) + 1);
            }
        }
    }

    /** The watermark: every row at or before it has been released. */
    long watermark() {
        return maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - delay;
    }

    /** Buffers one row (or fails it as late) and returns the rows the watermark now passes, in order. */
    List<Due> add(Row key, Row value, long timestamp) {
        long watermark = watermark();
        if (timestamp <= watermark) {
            throw new LateRecordException("late record at " + Instant.ofEpochMilli(timestamp)
                    + ": the watermark is at " + Instant.ofEpochMilli(watermark)
                    + " and rows before it have already been ordered");
        }
        waiting.put(new Row(new Object[]{timestamp, arrivals++}), new Row(new Object[]{key, value}));
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return release(watermark());
    }

    /** Every waiting row at or before {@code watermark}, in event-time order (arrival order on ties). */
    List<Due> release(long watermark) {
        List<KeyValue<Row, Row>> due = new ArrayList<>();
        try (KeyValueIterator<Row, Row> all = waiting.all()) {
            while (all.hasNext()) {
                KeyValue<Row, Row> e = all.next();
                if ((Long) e.key.get(0) > watermark) {
                    break;
                }
                due.add(e);
            }
        }
        List<Due> out = new ArrayList<>(due.size());
        for (KeyValue<Row, Row> e : due) {
            waiting.delete(e.key);
            out.add(new Due((Row) e.value.get(0), (Row) e.value.get(1), (Long) e.key.get(0)));
        }
        return out;
    }
}
