package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;

/**
 * Numbers the rows one side of a regular join stores, in arrival order, so that two rows of one
 * join key with one event time get distinct keys that sort as they arrived. The numbers are handed
 * out from blocks: the end of the current block is kept in the store itself (under a one-byte key,
 * which no row key equals or falls between), written once per {@link #BLOCK} rows, so a restarted
 * task (its store restored from the changelog with the rows) continues above every number in use.
 * Numbers left unused in a block when a task moves are skipped; only their order matters.
 */
final class ArrivalSequence {
    static final long BLOCK = 1L << 16;
    static final Bytes KEY = Bytes.wrap(new byte[] {0});

    private final KeyValueStore<Bytes, byte[]> store;
    private long next;
    private long reservedUntil;

    ArrivalSequence(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        byte[] stored = store.get(KEY);
        this.next = stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
        this.reservedUntil = next;
    }

    long next() {
        if (next == reservedUntil) {
            reservedUntil = next + BLOCK;
            store.put(KEY, ByteBuffer.allocate(8).putLong(reservedUntil).array());
        }
        return next++;
    }
}
