package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;

/**
 * {@link CallBitsStore}'s cache of the entries read or written lately: key bytes to call bits, bounded
 * by an estimate of its heap bytes, the oldest inserted leaving first (an update keeps an entry's
 * place, as a hit does: an LRU's relinking on every hit cost old-generation write barriers).
 *
 * <p>Why not a {@code LinkedHashMap<Bytes, Long>}: per entry it allocated a map entry and a boxed
 * {@code Long} and linked them into a list, and evicting the eldest walked its bucket; in Nexmark
 * q16, which looks up two new or repeated values per record, that map was a tenth of the stream
 * thread's CPU, and its entries were most of what each young collection copied. Here the entries
 * live in parallel arrays used as a ring in insertion order (the key, its bits, its hash), found
 * through an open-addressing table of ring positions with linear probing. Evicting the head of the
 * ring removes its table slot by backward shifting (no tombstones), so a lookup never walks more
 * than the run of slots its hash starts. Allocation per insert: none beyond the key the caller
 * made; the arrays double when the ring is full before the byte bound is reached.
 *
 * <p>Not thread-safe: one processor's cache, used from its stream thread.
 */
final class RecentCallBits {
    /**
     * Estimated heap bytes of one entry beside its key bytes: the {@link Bytes} and its array's
     * headers, the ring's three slots and two of the table's.
     */
    static final int ENTRY_OVERHEAD = 64;
    private static final int INITIAL_CAPACITY = 1024;
    private static final int FREE = 0;

    private final long boundBytes;
    private long usedBytes;

    /** The ring: positions [head, head + length) modulo its capacity, oldest first; a null key is a removed entry. */
    private Bytes[] keys = new Bytes[INITIAL_CAPACITY];
    private long[] bits = new long[INITIAL_CAPACITY];
    private int[] hashes = new int[INITIAL_CAPACITY];
    private int head;
    private int length;
    private int live;

    /** Ring position + 1 per slot ({@link #FREE}: empty), twice the ring's capacity. */
    private int[] slots = new int[2 * INITIAL_CAPACITY];

    RecentCallBits(long boundBytes) {
        this.boundBytes = boundBytes;
    }

    /** How many entries are cached (tests). */
    int size() {
        return live;
    }

    /** The bits cached for {@code key}, or {@code absent} when it is not cached. */
    long get(Bytes key, long absent) {
        int slot = find(key, spread(key.hashCode()));
        return slot < 0 ? absent : bits[slots[slot] - 1];
    }

    /** Caches {@code value} for {@code key}: in place when cached, else as the newest entry; then evicts to the bound. */
    void put(Bytes key, long value) {
        int hash = spread(key.hashCode());
        int slot = find(key, hash);
        if (slot >= 0) {
            bits[slots[slot] - 1] = value;
            return;
        }
        if (length == keys.length) {
            grow();
            slot = find(key, hash);
        }
        int position = (head + length) & (keys.length - 1);
        keys[position] = key;
        bits[position] = value;
        hashes[position] = hash;
        slots[~slot] = position + 1;
        length++;
        live++;
        usedBytes += entryBytes(key);
        while (usedBytes > boundBytes && live > 0) {
            evictOldest();
        }
    }

    /** Forgets {@code key} (a rolled-back write); its ring position stays empty until the head passes it. */
    void remove(Bytes key) {
        int slot = find(key, spread(key.hashCode()));
        if (slot < 0) {
            return;
        }
        int position = slots[slot] - 1;
        clearSlot(slot);
        usedBytes -= entryBytes(keys[position]);
        keys[position] = null;
        live--;
    }

    static long entryBytes(Bytes key) {
        return key.get().length + (long) ENTRY_OVERHEAD;
    }

    /** The slot holding {@code key}, or {@code ~slot} of the free slot where it would go. */
    private int find(Bytes key, int hash) {
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int held = slots[slot];
            if (held == FREE) {
                return ~slot;
            }
            int position = held - 1;
            if (hashes[position] == hash && keys[position].equals(key)) {
                return slot;
            }
        }
    }

    private void evictOldest() {
        while (keys[head] == null) { // removed entries: nothing to unlink
            head = (head + 1) & (keys.length - 1);
            length--;
        }
        int position = head;
        int mask = slots.length - 1;
        int slot = hashes[position] & mask;
        while (slots[slot] != position + 1) {
            slot = (slot + 1) & mask;
        }
        clearSlot(slot);
        usedBytes -= entryBytes(keys[position]);
        keys[position] = null;
        live--;
        head = (head + 1) & (keys.length - 1);
        length--;
    }

    /**
     * Empties {@code slot} by backward shifting: each later slot of the run whose entry's home slot
     * is not cyclically within (slot, later] moves into the gap, so every entry stays reachable
     * from its home slot without crossing a free slot.
     */
    private void clearSlot(int slot) {
        int mask = slots.length - 1;
        int gap = slot;
        for (int later = (gap + 1) & mask; slots[later] != FREE; later = (later + 1) & mask) {
            int home = hashes[slots[later] - 1] & mask;
            boolean stays = gap <= later ? gap < home && home <= later : gap < home || home <= later;
            if (!stays) {
                slots[gap] = slots[later];
                gap = later;
            }
        }
        slots[gap] = FREE;
    }

    /** Doubles the ring (its live entries moved to the front, oldest first) and rebuilds the table. */
    private void grow() {
        int capacity = keys.length * 2;
        Bytes[] newKeys = new Bytes[capacity];
        long[] newBits = new long[capacity];
        int[] newHashes = new int[capacity];
        int moved = 0;
        for (int i = 0; i < length; i++) {
            int position = (head + i) & (keys.length - 1);
            if (keys[position] != null) {
                newKeys[moved] = keys[position];
                newBits[moved] = bits[position];
                newHashes[moved] = hashes[position];
                moved++;
            }
        }
        keys = newKeys;
        bits = newBits;
        hashes = newHashes;
        head = 0;
        length = moved;
        slots = new int[2 * capacity];
        int mask = slots.length - 1;
        for (int position = 0; position < moved; position++) {
            int slot = hashes[position] & mask;
            while (slots[slot] != FREE) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = position + 1;
        }
    }

    /** Spreads the key's hash over the low bits the table indexes by (keys that differ late hash alike high). */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
