package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;

/**
 * One side of a regular (unbounded) INNER join of two streams: each row is stored in its side's
 * key-value store and joined with every row of the other side's store under the same join key.
 * Two instances, one per side, share the two stores. Per record: a point read of its own key's
 * head and one {@code put} (its changelog record), then a point read of the other side's head of
 * that key, and a range scan of the other side's rows only when that key holds more than one row
 * there ({@link JoinRowStore}, {@link JoinRowKeys}); the head reads are skipped for the keys whose
 * heads the two processors' shared heap cache holds ({@link JoinHeadCache}). This replaces Kafka Streams' window join with
 * a thousand-year window (a window-store {@code put} and a segmented fetch per record).
 *
 * <p>The result is what that window join emitted, in its order: for each record, one joined row
 * per stored row of the other side, in (event time, arrival) order, each stamped with the later of
 * the two rows' times, or with the left row's event-time column when {@code leftRowtime} is set
 * (the right row's if that is NULL), as {@link JoinEventTimeProcessor} re-stamped it.
 *
 * <p>With a state TTL ({@code ttlMs} above 0) rows meet only rows at most the TTL apart in event
 * time; a record too late to meet any row it could match is stopped before this operator by the
 * interval join's late guard, as before. A stored row is deleted once no record that passes that
 * guard can reach it: when it is older than this side's stream time less twice the TTL and the
 * grace, where stream time is the join's ({@link JoinStreamTime}, the largest timestamp either side
 * brought, as the late guard counts it), on a stream-time punctuation every TTL (at least a second). Without a TTL rows are kept for good, as Flink
 * keeps them.
 *
 * <p>The stores are not cached: every row's key is new, so a cache would absorb no write, and each
 * lookup would merge the cache's range with the store's.
 */
public final class RegularInnerJoinProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    /** Which input this instance reads; the other side's rows are the ones it probes. */
    public enum Side { LEFT, RIGHT }

    /** How the two stores are named and what the joined row looks like. */
    public record Layout(String leftStore, String rightStore, int leftWidth, int rightWidth, int leftRowtime,
                         int rightRowtime, long ttlMs, long graceMs) {
    }

    private final Side side;
    private final Layout layout;
    private final Serializer<Row> keySerializer;
    private final Serializer<Row> ownSerializer;
    private final Deserializer<Row> otherDeserializer;
    private final JoinStreamTime sharedTime;
    private final JoinRowStores sharedRows;
    private java.util.concurrent.atomic.AtomicLong streamTime;
    private JoinRowStore ownRows;
    private JoinRowStore otherRows;
    private ArrivalSequence arrivals;

    public RegularInnerJoinProcessor(Side side, Layout layout, Serde<Row> keySerde, Serde<Row> ownSerde,
                                     Serde<Row> otherSerde, JoinStreamTime sharedTime, JoinRowStores sharedRows) {
        this.side = side;
        this.sharedTime = sharedTime;
        this.sharedRows = sharedRows;
        this.layout = layout;
        this.keySerializer = keySerde.serializer();
        this.ownSerializer = ownSerde.serializer();
        this.otherDeserializer = otherSerde.deserializer();
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        String ownName = side == Side.LEFT ? layout.leftStore() : layout.rightStore();
        String otherName = side == Side.LEFT ? layout.rightStore() : layout.leftStore();
        KeyValueStore<Bytes, byte[]> own = context.getStateStore(ownName);
        ownRows = sharedRows.open(context.taskId(), ownName, own);
        otherRows = null; // the other side's processor opens it in its init: found on the first record
        arrivals = new ArrivalSequence(own);
        streamTime = sharedTime.of(context.taskId());
        if (layout.ttlMs() > 0) {
            context.schedule(Duration.ofMillis(Math.max(layout.ttlMs(), 1000)), PunctuationType.STREAM_TIME,
                    t -> expire());
        }
    }

    @Override
    public void process(Record<Row, Row> record) {
        Row row = record.value();
        if (row == null || record.key() == null) {
            return;
        }
        if (otherRows == null) {
            otherRows = sharedRows.of(context().taskId(), side == Side.LEFT ? layout.rightStore() : layout.leftStore());
        }
        // both: the other side's store may still be of the old format if that side has had no record yet
        ownRows.checkFormat();
        otherRows.checkFormat();
        long ts = record.timestamp();
        streamTime.accumulateAndGet(ts, Math::max);
        JoinHeadCache.Key joinKey = new JoinHeadCache.Key(JoinRowKeys.prefix(keySerializer.serialize(null, record.key())));
        ownRows.add(joinKey, ts, arrivals.next(), ownSerializer.serialize(null, row));
        long ttl = layout.ttlMs();
        long from = ttl > 0 ? saturatedAdd(ts, -ttl) : Long.MIN_VALUE;
        long to = ttl > 0 ? saturatedAdd(ts, ttl) : Long.MAX_VALUE;
        otherRows.forEach(joinKey, from, to, (otherTs, bytes) -> {
            Row otherRow = otherDeserializer.deserialize(null, bytes);
            Row joined = side == Side.LEFT ? concat(row, otherRow) : concat(otherRow, row);
            context().forward(record.withValue(joined).withTimestamp(stamp(joined, Math.max(ts, otherTs))));
        });
    }

    private Row concat(Row left, Row right) {
        Object[] out = new Object[layout.leftWidth() + layout.rightWidth()];
        for (int i = 0; i < layout.leftWidth(); i++) {
            out[i] = left.get(i);
        }
        for (int i = 0; i < layout.rightWidth(); i++) {
            out[layout.leftWidth() + i] = right.get(i);
        }
        return new Row(out);
    }

    /** The joined row's time: its left event time (or right, if NULL) when the plan asks for it. */
    private long stamp(Row joined, long later) {
        if (layout.leftRowtime() < 0) {
            return later;
        }
        Object ts = joined.get(layout.leftRowtime());
        if (ts == null && layout.rightRowtime() >= 0) {
            ts = joined.get(layout.rightRowtime());
        }
        return ts instanceof Long t ? t : later;
    }

    @Override
    public void close() {
        if (ownRows != null) { // null if closed before init
            sharedRows.close(context().taskId(), side == Side.LEFT ? layout.leftStore() : layout.rightStore(), ownRows);
        }
    }

    /**
     * Deletes this side's rows no record passing the late guard can reach any more: such a record
     * lies at or after stream time less the TTL and the grace, and reaches back one TTL more.
     */
    private void expire() {
        long now = streamTime.get();
        if (now == Long.MIN_VALUE) {
            return;
        }
        long reach = saturatedAdd(2 * layout.ttlMs(), layout.graceMs());
        ownRows.expire(saturatedAdd(now, -reach));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
