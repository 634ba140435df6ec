package dev.sluice.runtime.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;

/**
 * The unwindowed {@code <step>-distinct-store} of {@link DistinctValues} (state format 22: (group,
 * argument values) to {@link CallBits}) as its one processor reads and writes it, with two
 * processor-local shortcuts in front of the store:
 * <ul>
 *   <li>the entries read or written lately ({@link RecentCallBits}), bounded by an estimate of
 *       their bytes, the oldest inserted leaving first: a value seen again (a hot bidder or
 *       auction) costs a hash lookup instead of a store get. (Insertion order, not access order: a
 *       hit relinks nothing; a hot value evicted is read back once.)
 *   <li>a {@link KeyMembershipFilter} of every key in the store, filled by one scan at
 *       {@link #open} and by every put: a value never seen (most of q16's) costs no store get.
 * </ul>
 * Both are coherent because this object is the only writer of the store: every put and every
 * rollback of {@link DistinctValues} goes through {@link #write}, which writes the store first (its
 * {@link CommitBatchedKeyValueStore} layer, whose reads see the writes waiting for the commit), and
 * nothing else writes or deletes this shape of store (the processing-time store, which the
 * aggregate deletes by window, and the window stores are not read through here). Both start empty
 * at {@link #open}, which Kafka Streams calls after the store is restored, also when a task is
 * revived after a failure or moves to another instance, so they never hold what the store lost.
 */
final class CallBitsStore {
    /**
     * The setting (a Kafka Streams property, {@code SET} in a script) bounding each distinct
     * processor's cache of entries, in bytes; 0 turns it off.
     */
    public static final String CACHE_BYTES_CONFIG = "sluice.distinct.cache.bytes";
    /** Its default: about 45 000 of q16's entries (30-byte keys), which find 97 % of its repeated values. */
    static final long DEFAULT_CACHE_BYTES = 4L << 20;
    /** The filter covers stores up to this many entries (about 5 MB), larger ones get their lookups. */
    static final long FILTER_MAX_KEYS = 4L << 20;

    private final KeyValueStore<Bytes, byte[]> store;
    /** Null when the cache is off ({@link #CACHE_BYTES_CONFIG} 0). */
    private final RecentCallBits recent;
    /** The store's keys, read at the first {@link #read} (the store is restored by then). */
    private final KnownStoreKeys<Bytes> keys;

    private CallBitsStore(KeyValueStore<Bytes, byte[]> store, long cacheBytes) {
        this.store = store;
        this.recent = cacheBytes > 0 ? new RecentCallBits(cacheBytes) : null;
        this.keys = KnownStoreKeys.ofBytes(store);
    }

    /** The restored {@code store}, nothing cached; its keys are read into the filter at the first {@link #read}. */
    static CallBitsStore open(KeyValueStore<Bytes, byte[]> store, long cacheBytes) {
        return new CallBitsStore(store, cacheBytes);
    }

    /** {@link #CACHE_BYTES_CONFIG} among the application's settings, else its default. */
    static long cacheBytes(Map<String, Object> appConfigs) {
        Object value = appConfigs.get(CACHE_BYTES_CONFIG);
        return value == null ? DEFAULT_CACHE_BYTES : Long.parseLong(value.toString().trim());
    }

    /** The bits of the calls that have seen {@code key}'s values; 0 when none has. */
    long read(Bytes key) {
        if (recent != null) {
            long cached = recent.get(key, -1L);
            if (cached != -1L) { // bits are never all ones: one per call of fewer than 64
                return cached;
            }
        }
        if (!keys.mightContain(key)) {
            return 0L;
        }
        long bits = CallBits.read(store.get(key));
        if (bits != 0) {
            remember(key, bits);
        }
        return bits;
    }

    /** Stores {@code bits} for {@code key}; 0 deletes its entry (a rollback to no entry). */
    void write(Bytes key, long bits) {
        if (bits == 0) {
            store.delete(key);
            if (recent != null) {
                recent.remove(key);
            }
            return;
        }
        store.put(key, CallBits.write(bits));
        keys.add(key);
        remember(key, bits);
    }

    private void remember(Bytes key, long bits) {
        if (recent != null) {
            recent.put(key, bits);
        }
    }
}
