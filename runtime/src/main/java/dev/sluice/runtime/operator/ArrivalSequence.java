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

    /** Where the end of the current block is kept: every store whose rows this sequence numbers. */
    private final java.util.List<KeyValueStore<Bytes, byte[]>> stores;
    private long next;
    private long reservedUntil;

    ArrivalSequence(KeyValueStore<Bytes, byte[]> store) {
        this(store, java.util.List.of());
    }

    /**
     * One sequence for the rows of several stores: it starts above every one's counter and keeps
     * each block's end in each, so that whichever sequence numbers a store's rows next (this one
     * after a restart, or a binary join's own after a plan change: a three-way join's stores were two
     * binary joins' before) starts above every number its rows hold.
     */
    ArrivalSequence(KeyValueStore<Bytes, byte[]> store, java.util.List<KeyValueStore<Bytes, byte[]>> others) {
        java.util.List<KeyValueStore<Bytes, byte[]>> all = new java.util.ArrayList<>();
        all.add(store);
        all.addAll(others);
        this.stores = java.util.List.copyOf(all);
        long start = 0;
        for (KeyValueStore<Bytes, byte[]> s : stores) {
            start = Math.max(start, reservedEnd(s));
        }
        this.next = start;
        this.reservedUntil = next;
    }

    private static long reservedEnd(KeyValueStore<Bytes, byte[]> store) {
        byte[] stored = store.get(KEY);
        return stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
    }

    long next() {
        if (next == reservedUntil) {
            reservedUntil = next + BLOCK;
            byte[] end = ByteBuffer.allocate(8).putLong(reservedUntil).array();
            for (KeyValueStore<Bytes, byte[]> s : stores) {
                s.put(KEY, end);
            }
        }
        return next++;
    }
}
