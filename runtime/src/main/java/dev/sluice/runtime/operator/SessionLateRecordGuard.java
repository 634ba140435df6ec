package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;

/**
 * {@link LateRecordGuard} for session windows. Whether a record is late depends on the sessions it
 * would join, so the guard reads the aggregate's own store ({@link OpenSessions}) and applies the
 * aggregate's rule (that of Kafka Streams' {@code KStreamSessionWindowAggregate}): the record's
 * session, merged with every retained session of its key within one gap of it, is dropped when that
 * session ended before {@code observedStreamTime - grace - gap}. Failing here routes it through the
 * processing exception handler (counted, logged with topic-partition@offset, dead-lettered), and
 * keeps it from {@link SessionDistinctValues}, which runs between this guard and the aggregate.
 * Stream time starts from the one the store kept, so a restarted task judges as the old one did.
 */
public final class SessionLateRecordGuard implements FixedKeyProcessor<Row, Row, Row> {
    private final WindowSpec window;
    private final String storeName;
    private final Serde<Row> keySerde;
    private final long retention;
    private FixedKeyProcessorContext<Row, Row> context;
    private KeyValueStore<Bytes, byte[]> sessions;
    private long observedStreamTime = Long.MIN_VALUE;

    public SessionLateRecordGuard(WindowSpec window, String storeName, Serde<Row> keySerde) {
        this.window = window;
        this.storeName = storeName;
        this.keySerde = keySerde;
        this.retention = WindowStoreRetention.sessions(window).toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        this.sessions = context.getStateStore(storeName);
        this.observedStreamTime = OpenSessions.streamTime(sessions);
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
            // the aggregate's stream time before this record: what its store still retains
            long storeTime = OpenSessions.streamTime(sessions);
            byte[] group = keySerde.serializer().serialize(storeName, record.key());
            for (OpenSessions.Session s : OpenSessions.find(sessions, group, ts - gap, ts + gap,
                    storeTime == Long.MIN_VALUE ? Long.MIN_VALUE : storeTime - retention)) {
                mergedEnd = Math.max(mergedEnd, s.end());
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
