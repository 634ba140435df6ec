package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops a record of an interval join that arrives after its join window closed, just before the
 * join. A record of one side at time {@code t} can match the other side's records up to
 * {@code t + reach} (the left side's reach is the interval's upper bound, the right side's its
 * lower bound); once the join's stream time (the largest timestamp either side has brought to this
 * task) passes {@code t + reach + grace}, every partner it could have met has been joined or, in an
 * outer join, emitted alone with NULLs. Kafka Streams 4.3 skips only such a record's own store
 * write and still joins it against the other side's store, uncounted, which can pair it with a row
 * already emitted as unmatched; Flink drops it. Here it is dropped and failed through the processing
 * exception handler: counted as {@code reason="late"}, logged with topic-partition@offset and
 * dead-lettered. Both sides' guards of one join share its stream time per task, as the join's own
 * time tracker does; like that tracker it starts again after a restart.
 */
final class IntervalJoinLateGuard implements FixedKeyProcessor<Row, Row, Row> {
    /** The stream time of one join, per task, shared by its two guards. */
    static final class SharedStreamTime {
        private final Map<TaskId, AtomicLong> byTask = new ConcurrentHashMap<>();

        AtomicLong of(TaskId task) {
            return byTask.computeIfAbsent(task, t -> new AtomicLong(Long.MIN_VALUE));
        }
    }

    private final String side;
    private final long reachMs;
    private final long graceMs;
    private final SharedStreamTime shared;
    private FixedKeyProcessorContext<Row, Row> context;
    private AtomicLong streamTime;

    /**
     * @param side    "left" or "right", for the message
     * @param reachMs how far after its own time this side's record can find a partner
     * @param graceMs how long after its window a record is still accepted
     */
    IntervalJoinLateGuard(String side, long reachMs, long graceMs, SharedStreamTime shared) {
        this.side = side;
        this.reachMs = reachMs;
        this.graceMs = graceMs;
        this.shared = shared;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
        this.streamTime = shared.of(context.taskId());
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        long ts = record.timestamp();
        long now = streamTime.accumulateAndGet(ts, Math::max);
        // closes at ts + reach + grace; saturating, so a far-future bound never wraps around
        long closes = ts > Long.MAX_VALUE - reachMs - graceMs ? Long.MAX_VALUE : ts + reachMs + graceMs;
        if (closes < now) {
            throw new LateRecordException("late " + side + " record at " + Instant.ofEpochMilli(ts)
                    + ": its join window closed at " + Instant.ofEpochMilli(closes) + " (interval reaches " + reachMs
                    + " ms after it, grace " + graceMs + " ms) and the join's stream time is " + Instant.ofEpochMilli(now));
        }
        context.forward(record);
    }
}
