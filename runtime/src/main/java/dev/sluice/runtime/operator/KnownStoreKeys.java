package dev.sluice.runtime.operator;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which keys a store may hold, for a processor that is the only one adding keys to it: a
 * {@link KeyMembershipFilter} over the keys' serialized bytes (the store's own key serializer, so
 * keys equal to the store are equal here), filled by one scan of the store at the first question and
 * by {@link #add} of every key the processor writes (or has written for it). A key the processor
 * deletes stays in the filter: it only costs a lookup later, never a wrong answer.
 * A key it has never seen is then answered without a store lookup, which for a key the store
 * lacks would go down to RocksDB and miss (Nexmark q18's deduplication: most (bidder, auction)
 * keys are new, ~7 % of its stream thread; {@link CallBitsStore}'s DISTINCT values: most are new).
 *
 * <p>Create it in the processor's {@code init}, which Kafka Streams calls after the store is
 * restored, also when a task is revived after a failure or moves: it then starts from the store as
 * it is. Stores of more than {@link CallBitsStore#FILTER_MAX_KEYS} keys get no filter (every key
 * might be present).
 */
final class KnownStoreKeys<K> {
    private final KeyValueStore<K, ?> store;
    /** A key's bytes as the store holds them. */
    private final Function<K, Bytes> keyBytes;
    /** Which of the store's keys the scan takes: the others are never asked about. */
    private final Predicate<K> asked;
    /** Null until the first question, and when the store was too large for it. */
    private KeyMembershipFilter filter;
    private boolean scanned;

    /** {@code topic}: the name handed to the serializer (the store's changelog or its name). */
    KnownStoreKeys(KeyValueStore<K, ?> store, Serializer<K> keySerializer, String topic) {
        this(store, key -> Bytes.wrap(keySerializer.serialize(topic, key)), key -> true);
    }

    /** Over a store of raw bytes: a key is its own bytes (no copy per question). */
    static KnownStoreKeys<Bytes> ofBytes(KeyValueStore<Bytes, ?> store) {
        return ofBytes(store, key -> true);
    }

    /**
     * Over a store of raw bytes of which only the keys {@code asked} accepts are ever asked about
     * (a regular join's heads among its row entries): the scan leaves the others out of the filter.
     */
    static KnownStoreKeys<Bytes> ofBytes(KeyValueStore<Bytes, ?> store, Predicate<Bytes> asked) {
        return new KnownStoreKeys<>(store, Function.identity(), asked);
    }

    private KnownStoreKeys(KeyValueStore<K, ?> store, Function<K, Bytes> keyBytes, Predicate<K> asked) {
        this.store = store;
        this.keyBytes = keyBytes;
        this.asked = asked;
    }

    /** False only for a key that is surely not in the store. */
    boolean mightContain(K key) {
        if (!scanned) {
            scan();
        }
        return filter == null || filter.mightContain(bytes(key));
    }

    /** Records that {@code key} is (or is about to be) in the store. */
    void add(K key) {
        if (!scanned) {
            scan();
        }
        if (filter != null) {
            filter.add(bytes(key));
        }
    }

    private Bytes bytes(K key) {
        return keyBytes.apply(key);
    }

    /** Every key of the store into the filter; none past the limit (then every key might be present). */
    private void scan() {
        scanned = true;
        long estimate = store.approximateNumEntries();
        if (estimate > CallBitsStore.FILTER_MAX_KEYS) {
            return;
        }
        KeyMembershipFilter keys = new KeyMembershipFilter(estimate, CallBitsStore.FILTER_MAX_KEYS);
        try (KeyValueIterator<K, ?> all = store.all()) {
            while (all.hasNext() && keys.usable()) {
                K key = all.next().key;
                if (asked.test(key)) {
                    keys.add(bytes(key));
                }
            }
        }
        filter = keys.usable() ? keys : null;
    }
}
