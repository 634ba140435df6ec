package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side of a regular (unbounded) outer join of two streams, Flink's semantics: a row without a
 * match is emitted at once padded with NULLs, and that padded row is deleted when its first match
 * arrives (then the joined rows are inserted). Two instances, one per side, share the two sides'
 * stores; the result is a changelog keyed by the join key and the identities of the two rows
 * (either -1 when padded), so a padded row's deletion is a tombstone for its own key.
 *
 * <p>Store layout (both sides): key = length-prefixed serialized join key, the row's event time and
 * its identity (8 bytes each, big-endian), so one key's rows are one range, met in event-time order
 * (as they arrived, for rows in order); value = the row's event time (8 bytes),
 * whether it has been matched (1 byte), then the serialized row. A row's identity is a hash of its
 * bytes and time (the next free value for an equal row of the same key and time), so replaying the same input, or
 * running it on a broker, gives the same identities.
 *
 * <p>With a state TTL, rows meet only rows at most {@code ttlMs} apart in event time, and rows older
 * than stream time minus the TTL are forgotten (on a stream-time punctuation), without retracting
 * anything, as Flink's state TTL forgets.
 */
public final class RegularOuterJoinProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    /** Which input this instance reads; the other side's rows are the ones it probes. */
    public enum Side { LEFT, RIGHT }

    private final Side side;
    private final String ownStoreName;
    private final String otherStoreName;
    private final boolean padOwn;
    private final boolean padOther;
    private final int leftWidth;
    private final int rightWidth;
    private final long ttlMs;
    private final Serde<Row> keySerde;
    private final Serde<Row> ownSerde;
    private final Serde<Row> otherSerde;
    private KeyValueStore<Bytes, byte[]> own;
    private KeyValueStore<Bytes, byte[]> other;

    /**
     * {@code padOwn}: this side's unmatched rows are emitted padded (the left side of a LEFT join,
     * both of a FULL one); {@code padOther}: the other side's are, so their padded rows are deleted
     * when this side matches them. {@code ttlMs} 0: rows are kept for good.
     */
    public RegularOuterJoinProcessor(Side side, String ownStoreName, String otherStoreName, boolean padOwn,
                                     boolean padOther, int leftWidth, int rightWidth, long ttlMs,
                                     Serde<Row> keySerde, Serde<Row> ownSerde, Serde<Row> otherSerde) {
        this.side = side;
        this.ownStoreName = ownStoreName;
        this.otherStoreName = otherStoreName;
        this.padOwn = padOwn;
        this.padOther = padOther;
        this.leftWidth = leftWidth;
        this.rightWidth = rightWidth;
        this.ttlMs = ttlMs;
        this.keySerde = keySerde;
        this.ownSerde = ownSerde;
        this.otherSerde = otherSerde;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        own = context.getStateStore(ownStoreName);
        other = context.getStateStore(otherStoreName);
        if (ttlMs > 0) {
            context.schedule(Duration.ofMillis(Math.max(ttlMs / 2, 1000)), PunctuationType.STREAM_TIME, this::expire);
        }
    }

    @Override
    public void process(Record<Row, Row> record) {
        Row row = record.value();
        if (row == null || record.key() == null) {
            return;
        }
        long ts = record.timestamp();
        byte[] rowBytes = ownSerde.serializer().serialize(ownStoreName, row);
        byte[] prefix = prefix(record.key());
        long id = unusedIdentity(prefix, ts, rowBytes);
        if (hasNullPart(record.key())) {
            // A NULL key part equals nothing: the row can never match, so it is padded for good. It
            // is stored (never probed) only so that an equal row gets another identity.
            if (padOwn) {
                own.put(Bytes.wrap(storeKey(prefix, ts, id)), ByteBuffer.allocate(9).putLong(ts).put((byte) 1).array());
                forward(record, record.key(), id, -1, row, null);
            }
            return;
        }
        boolean matched = false;
        List<KeyValue<Bytes, byte[]>> newlyMatched = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> candidates = other.range(Bytes.wrap(bound(prefix, (byte) 0)),
                Bytes.wrap(bound(prefix, (byte) 0xFF)))) {
            while (candidates.hasNext()) {
                KeyValue<Bytes, byte[]> candidate = candidates.next();
                ByteBuffer value = ByteBuffer.wrap(candidate.value);
                long otherTs = value.getLong();
                boolean otherMatched = value.get() != 0;
                if (ttlMs > 0 && Math.abs(ts - otherTs) > ttlMs) {
                    continue;
                }
                byte[] otherBytes = Arrays.copyOfRange(candidate.value, 9, candidate.value.length);
                Row otherRow = otherSerde.deserializer().deserialize(otherStoreName, otherBytes);
                long otherId = ByteBuffer.wrap(candidate.key.get(), prefix.length + 8, 8).getLong();
                if (padOther && !otherMatched) {
                    forward(record, record.key(), -1, otherId, null, otherRow); // delete its padded row
                    newlyMatched.add(candidate);
                }
                forward(record, record.key(), id, otherId, row, otherRow);
                matched = true;
            }
        }
        for (KeyValue<Bytes, byte[]> m : newlyMatched) {
            byte[] updated = m.value.clone();
            updated[8] = 1;
            other.put(m.key, updated);
        }
        if (!matched && padOwn) {
            forward(record, record.key(), id, -1, row, null);
        }
        ByteBuffer value = ByteBuffer.allocate(9 + rowBytes.length).putLong(ts).put((byte) (matched ? 1 : 0)).put(rowBytes);
        own.put(Bytes.wrap(storeKey(prefix, ts, id)), value.array());
    }

    /**
     * Emits one change of the result: the row of {@code leftId}/{@code rightId} under the join key,
     * or (when this side's row is absent: a padded row of the other side being replaced) its deletion.
     */
    private void forward(Record<Row, Row> cause, Row key, long ownId, long otherId, Row ownRow, Row otherRow) {
        long leftId = side == Side.LEFT ? ownId : otherId;
        long rightId = side == Side.LEFT ? otherId : ownId;
        Object[] keyParts = Arrays.copyOf(key.toArray(), key.size() + 2);
        keyParts[key.size()] = leftId;
        keyParts[key.size() + 1] = rightId;
        Row value = null;
        if (ownRow != null) {
            Row left = side == Side.LEFT ? ownRow : otherRow;
            Row right = side == Side.LEFT ? otherRow : ownRow;
            Object[] joined = new Object[leftWidth + rightWidth];
            for (int i = 0; i < leftWidth && left != null; i++) {
                joined[i] = left.get(i);
            }
            for (int i = 0; i < rightWidth && right != null; i++) {
                joined[leftWidth + i] = right.get(i);
            }
            value = new Row(joined);
        }
        context().forward(cause.withKey(new Row(keyParts)).withValue(value));
    }

    /**
     * A row's identity: a hash of its bytes and time, then the next free value for an equal row of
     * the same key and time. It depends only on the rows and their order per key, so a run on a broker and a replay
     * give the result the same keys (offsets would not: transaction markers take offsets too).
     */
    private long unusedIdentity(byte[] prefix, long ts, byte[] rowBytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(rowBytes);
        crc.update(ByteBuffer.allocate(8).putLong(ts).array());
        long id = ((crc.getValue() << 31) ^ (Arrays.hashCode(rowBytes) * 31L + Long.hashCode(ts))) & Long.MAX_VALUE;
        while (own.get(Bytes.wrap(storeKey(prefix, ts, id))) != null) {
            id = (id + 1) & Long.MAX_VALUE;
        }
        return id;
    }

    private static byte[] storeKey(byte[] prefix, long ts, long id) {
        return ByteBuffer.allocate(prefix.length + 16).put(prefix).putLong(ts).putLong(id).array();
    }

    private static boolean hasNullPart(Row key) {
        for (int i = 0; i < key.size(); i++) {
            if (key.get(i) == null) {
                return true;
            }
        }
        return false;
    }

    private byte[] prefix(Row key) {
        byte[] k = keySerde.serializer().serialize(ownStoreName, key);
        return ByteBuffer.allocate(4 + k.length).putInt(k.length).put(k).array();
    }

    private static byte[] bound(byte[] prefix, byte fill) {
        byte[] b = Arrays.copyOf(prefix, prefix.length + 16);
        Arrays.fill(b, prefix.length, b.length, fill);
        return b;
    }

    /** Forgets this side's rows older than stream time minus the TTL (each side expires its own). */
    private void expire(long streamTime) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = own.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> e = all.next();
                if (ByteBuffer.wrap(e.value).getLong() < streamTime - ttlMs) {
                    old.add(e.key);
                }
            }
        }
        old.forEach(own::delete);
    }
}
