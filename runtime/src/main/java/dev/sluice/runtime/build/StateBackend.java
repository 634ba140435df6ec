package dev.sluice.runtime.build;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where an application keeps its state, chosen per application with Flink's own option,
 * {@code SET 'state.backend.type' = 'hashmap' | 'rocksdb'} (or the same key in {@code --config}).
 * Every state store Sluice builds comes from here: the stores its processors add, and, through
 * {@link #dslStoreSuppliers()} in the builder's topology config, those the Kafka Streams DSL makes
 * for {@code Materialized}, {@code StreamJoined} and foreign-key joins.
 *
 * <p>{@link #ROCKSDB}, the default: RocksDB on local disk, bounded by disk; a restart on the same
 * state directory resumes from its local checkpoint. {@link #HASHMAP}: Kafka Streams' in-memory store
 * of the same kind, on the JVM heap (bounded by it), which is faster per read and write (no JNI, no
 * serialized seek) but restores its whole changelog on every start. Both are changelogged behind the
 * same record cache, and store and changelog topic names do not depend on the backend: switching
 * either way restores from the same changelog.
 */
public enum StateBackend {
    ROCKSDB("rocksdb", BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class),
    HASHMAP("hashmap", BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);

    /** Flink's option name, so a Flink script's SET carries over. */
    public static final String KEY = "state.backend.type";

    private final String value;
    private final Class<? extends DslStoreSuppliers> dslStoreSuppliers;

    StateBackend(String value, Class<? extends DslStoreSuppliers> dslStoreSuppliers) {
        this.value = value;
        this.dslStoreSuppliers = dslStoreSuppliers;
    }

    /** The option's value that chooses this backend. */
    public String value() {
        return value;
    }

    /** The accepted values, quoted, for messages: {@code 'hashmap' or 'rocksdb'}. */
    public static String accepted() {
        return Arrays.stream(values()).map(b -> "'" + b.value + "'").sorted().collect(Collectors.joining(" or "));
    }

    /** The backend {@code value} names (case as Flink: any); IllegalArgumentException saying the accepted ones. */
    public static StateBackend parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (StateBackend b : values()) {
            if (b.value.equals(v)) {
                return b;
            }
        }
        throw new IllegalArgumentException(KEY + " must be " + accepted() + ", not '" + value + "'");
    }

    /** The backend {@code settings} choose ({@link #KEY}), {@link #ROCKSDB} when they do not. */
    public static StateBackend of(Map<String, String> settings) {
        String value = settings.get(KEY);
        return value == null ? ROCKSDB : parse(value);
    }

    /** The DSL's store suppliers of this backend, for the topology config's {@code dsl.store.suppliers.class}. */
    public Class<? extends DslStoreSuppliers> dslStoreSuppliers() {
        return dslStoreSuppliers;
    }

    /** A key-value store's supplier. */
    public KeyValueBytesStoreSupplier keyValueSupplier(String name) {
        return this == HASHMAP ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    /** A changelogged key-value store of bytes (callers choose its record cache). */
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> keyValue(String name) {
        return keyValue(name, Serdes.Bytes(), Serdes.ByteArray());
    }

    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(keyValueSupplier(name), keys, values);
    }

    /**
     * A key-value store whose values carry their timestamp. In memory it is the plain store behind
     * Kafka Streams' adapter (as the DSL's in-memory supplier does); its changelog is the same.
     */
    public <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> timestampedKeyValue(String name, Serde<K> keys,
                                                                                     Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = this == HASHMAP ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentTimestampedKeyValueStore(name);
        return Stores.timestampedKeyValueStoreBuilder(supplier, keys, values);
    }

    /** A window store's supplier, windows of {@code size} kept for {@code retention} of stream time. */
    public WindowBytesStoreSupplier windowSupplier(String name, Duration retention, Duration size,
                                                   boolean retainDuplicates) {
        return this == HASHMAP ? Stores.inMemoryWindowStore(name, retention, size, retainDuplicates)
                : Stores.persistentWindowStore(name, retention, size, retainDuplicates);
    }

    /** A changelogged window store of bytes, without duplicates. */
    public StoreBuilder<WindowStore<Bytes, byte[]>> window(String name, Duration retention, Duration size) {
        return Stores.windowStoreBuilder(windowSupplier(name, retention, size, false), Serdes.Bytes(),
                Serdes.ByteArray());
    }
}
