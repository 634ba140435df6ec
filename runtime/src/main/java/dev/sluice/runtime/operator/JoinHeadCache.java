package dev.sluice.runtime.operator;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The heads ({@link JoinRowStore}) of a regular join store's most recently used join keys, on the
 * heap: the stored head's bytes, or {@link #ABSENT} for a key known to have no rows. A lookup that
 * hits needs no RocksDB read: q4's bids find their auction's lone row here, q20's bids find that
 * their (filtered-out) auction has none, and a key that already holds many rows takes a new one
 * without reading its head. A cache of the store, not state: every write to the store goes through
 * the one {@link JoinRowStore} that owns this cache ({@link JoinRowStores}), which keeps it equal to
 * the store, and it starts empty whenever the processors are initialised (a restart, a restore).
 *
 * <p>Bounded by entries and by bytes (a lone row lives in its head), least recently used first out.
 */
final class JoinHeadCache {
    /** The cached value of a key without rows (compared by identity). */
    static final byte[] ABSENT = new byte[0];
    static final int MAX_ENTRIES = 8192;
    static final long MAX_BYTES = 1L << 20;
    /** What an entry costs besides its bytes: the map's node, the key object, the arrays' headers. */
    private static final int ENTRY_OVERHEAD = 96;

    private final LinkedHashMap<Key, byte[]> heads = new LinkedHashMap<>(256, 0.75f, true);
    private final int maxEntries;
    private final long maxBytes;
    private long bytes;

    JoinHeadCache() {
        this(MAX_ENTRIES, MAX_BYTES);
    }

    /** A cache of at most {@code maxEntries} heads and about {@code maxBytes} bytes (tests shrink it). */
    JoinHeadCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The cached head of {@code key}, {@link #ABSENT} if it has no rows, null if not cached. */
    byte[] get(Key key) {
        return heads.get(key);
    }

    /** Remembers {@code head} (a stored head's bytes, or {@link #ABSENT}) as {@code key}'s head. */
    void put(Key key, byte[] head) {
        byte[] before = heads.put(key, head);
        bytes += head.length - (before == null ? -(key.prefix.length + ENTRY_OVERHEAD) : before.length);
        if (heads.size() > maxEntries || bytes > maxBytes) {
            Iterator<Map.Entry<Key, byte[]>> eldest = heads.entrySet().iterator();
            while ((heads.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
                Map.Entry<Key, byte[]> e = eldest.next();
                bytes -= e.getKey().prefix.length + ENTRY_OVERHEAD + e.getValue().length;
                eldest.remove();
            }
        }
    }

    void clear() {
        heads.clear();
        bytes = 0;
    }

    int size() {
        return heads.size();
    }

    /** The bytes the cached entries are counted at (their keys, values and a fixed overhead each). */
    long bytes() {
        return bytes;
    }

    /**
     * A join key's prefix ({@link JoinRowKeys#prefix}) as a map key, hashed with FNV-1a: Kafka's
     * {@code Bytes} hashes like {@code Arrays.hashCode}, under which about eight consecutive BIGINT
     * keys share each hash (31 times one byte plus the next repeats), so its map's buckets turned
     * into trees.
     */
    static final class Key {
        final byte[] prefix;
        private final int hash;

        Key(byte[] prefix) {
            this.prefix = prefix;
            int h = 0x811c9dc5;
            for (byte b : prefix) {
                h = (h ^ (b & 0xff)) * 0x01000193;
            }
            this.hash = h ^ (h >>> 16);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.prefix, prefix);
        }
    }
}
