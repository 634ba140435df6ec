package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlySessionStore;

import java.time.Instant;

/**
 * {@link LateRecordGuard} for session windows. Whether a record is late depends on the sessions it
 * would join, so the guard reads the aggregate's own session store and applies the aggregate's
 * rule (Kafka Streams' {@code KStreamSessionWindowAggregate}): the record's session, merged with
 * every stored session of its key within one gap of it, is dropped when that session ended before
 * {@code observedStreamTime - grace - gap}. Kafka Streams would drop it with only a task metric;
 * failing here routes it through the processing exception handler (counted, logged with
 * topic-partition@offset, dead-lettered). Results are unchanged: the aggregate would have ignored it.
 */
public final class SessionLateRecordGuard implements FixedKeyProcessor<Row, Row, Row> {
    private final WindowSpec window;
    private final String storeName;
    private FixedKeyProcessorContext<Row, Row> context;
    private ReadOnlySessionStore<Row, ?> sessions;
    private long observedStreamTime = Long.MIN_VALUE;

    public SessionLateRecordGuard(WindowSpec window, String storeName) {
        this.window = window;
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        this.sessions = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.value() == EndOfTime.MARKER || record.key() == null) {
            context.forward(record);
            return;
        }
        long ts = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, ts);
        long gap = window.sizeMs();
        long closeTime = observedStreamTime - window.graceMs() - gap;
        if (ts < closeTime) { // cheap test first: only a record this old can be late
            long mergedEnd = ts;
            try (KeyValueIterator<Windowed<Row>, ?> found = sessions.findSessions(record.key(), ts - gap, ts + gap)) {
                while (found.hasNext()) {
                    mergedEnd = Math.max(mergedEnd, found.next().key.window().end());
                }
            }
            if (mergedEnd < closeTime) {
                throw new LateRecordException("late record at " + Instant.ofEpochMilli(ts) + ": its session (gap "
                        + gap + " ms) ended at " + Instant.ofEpochMilli(mergedEnd) + ", closed by stream time "
                        + Instant.ofEpochMilli(observedStreamTime) + " (grace " + window.graceMs() + " ms)");
            }
        }
        context.forward(record);
    }
}
