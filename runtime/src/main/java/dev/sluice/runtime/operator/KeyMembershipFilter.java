package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * A growing Bloom filter of store keys: {@link #mightContain} is false only for a key never
 * {@link #add}ed, so a caller that adds every key it writes may skip the store lookup of a key the
 * filter has never seen (q16's new auctions and bidders of its 10 000 channels: 60 % of its
 * lookups). Keys are never removed (a deleted key stays a false positive, which only costs the
 * lookup it would have cost anyway).
 *
 * <p>It grows by adding a filter of twice the capacity when the newest is full (a scalable Bloom
 * filter): no rebuild, no rescan, at about 10 bits per key; a key is looked for in every filter,
 * each with a false-positive rate of about 1 %. Past {@code maxKeys} keys it stops answering
 * ({@link #usable()} false) and frees its bits, which bounds its memory (4 M keys: about 5 MB).
 */
final class KeyMembershipFilter {
    private static final int HASHES = 7;
    private static final int BITS_PER_KEY = 10;
    private static final int FIRST_CAPACITY = 1 << 14;

    private final long maxKeys;
    private final List<long[]> filters = new ArrayList<>();
    private long capacityOfNewest;
    private long keysInNewest;
    private long keys;

    KeyMembershipFilter(long expectedKeys, long maxKeys) {
        this.maxKeys = maxKeys;
        addFilter(Math.max(FIRST_CAPACITY, Long.highestOneBit(Math.max(1, expectedKeys)) << 1));
    }

    /** False once more than {@code maxKeys} keys were added: then every key might be present. */
    boolean usable() {
        return !filters.isEmpty();
    }

    void add(Bytes key) {
        if (filters.isEmpty()) {
            return;
        }
        if (++keys > maxKeys) {
            filters.clear();
            return;
        }
        if (keysInNewest == capacityOfNewest) {
            addFilter(capacityOfNewest << 1);
        }
        keysInNewest++;
        long[] bits = filters.get(filters.size() - 1);
        long hash = hash(key.get());
        long step = step(hash);
        long mask = (long) bits.length * Long.SIZE - 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = (hash + i * step) & mask;
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** Whether {@code key} may have been added; always true once not {@link #usable()}. */
    boolean mightContain(Bytes key) {
        if (filters.isEmpty()) {
            return true;
        }
        long hash = hash(key.get());
        long step = step(hash);
        for (long[] bits : filters) {
            long mask = (long) bits.length * Long.SIZE - 1;
            boolean all = true;
            for (int i = 0; i < HASHES && all; i++) {
                long bit = (hash + i * step) & mask;
                all = (bits[(int) (bit >>> 6)] & (1L << bit)) != 0;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private void addFilter(long capacity) {
        // a power of two of bits, at least BITS_PER_KEY per key of the capacity
        long bitCount = Long.highestOneBit(capacity * BITS_PER_KEY - 1) << 1;
        filters.add(new long[(int) Math.max(1, bitCount / Long.SIZE)]);
        capacityOfNewest = capacity;
        keysInNewest = 0;
    }

    /** A 64-bit hash of the key's bytes: FNV-1a over 8-byte words, then MurmurHash3's finalizer. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L ^ bytes.length;
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            long word = 0;
            for (int b = 0; b < Long.BYTES; b++) {
                word = word << 8 | (bytes[i + b] & 0xFFL);
            }
            h = (h ^ word) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        for (; i < bytes.length; i++) {
            h = (h ^ (bytes[i] & 0xFFL)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** The second hash of double hashing: odd, so that it visits distinct bits. */
    private static long step(long hash) {
        return mix(hash ^ 0x9E3779B97F4A7C15L) | 1L;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
