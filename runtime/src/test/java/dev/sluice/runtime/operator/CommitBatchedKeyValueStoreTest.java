package dev.sluice.runtime.operator;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link CommitBatchedKeyValueStore} over an in-memory store: reads see the waiting writes, the store
 * below holds them only after {@code flushCache} (the commit), {@code clearCache} (a discarded
 * task) drops them, scans and the waiting bound write them first. Random operations against a map
 * model of what was committed and what waits.
 */
class CommitBatchedKeyValueStoreTest {
    private static Bytes key(int k) {
        return Bytes.wrap(("k" + k).getBytes(StandardCharsets.UTF_8));
    }

    private static CommitBatchedKeyValueStore open() {
        KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        CommitBatchedKeyValueStore store = new CommitBatchedKeyValueStore(inner);
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static Map<Bytes, byte[]> below(CommitBatchedKeyValueStore store) {
        Map<Bytes, byte[]> entries = new HashMap<>();
        try (var it = store.wrapped().all()) {
            it.forEachRemaining(kv -> entries.put(kv.key, kv.value));
        }
        return entries;
    }

    private static void assertSameEntries(Map<Bytes, byte[]> expected, Map<Bytes, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), what + " " + k));
    }

    @Test
    void readsSeeWaitingWritesAndTheCommitWritesThem() {
        Random random = new Random(7);
        CommitBatchedKeyValueStore store = open();
        Map<Bytes, byte[]> committed = new HashMap<>();
        Map<Bytes, byte[]> current = new HashMap<>();
        for (int step = 0; step < 5000; step++) {
            Bytes k = key(random.nextInt(50));
            switch (random.nextInt(10)) {
                case 0 -> {
                    assertArrayEquals(current.get(k), store.delete(k), "delete returns the current value");
                    current.remove(k);
                }
                case 1 -> {
                    store.flushCache();
                    committed = new HashMap<>(current);
                }
                case 2 -> {
                    store.clearCache();
                    current = new HashMap<>(committed);
                }
                case 3 -> {
                    byte[] v = {(byte) step};
                    byte[] before = store.putIfAbsent(k, v);
                    assertArrayEquals(current.get(k), before);
                    current.putIfAbsent(k, v);
                }
                case 4 -> {
                    List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
                    entries.add(KeyValue.pair(k, new byte[] {(byte) step, 1}));
                    entries.add(KeyValue.pair(key(random.nextInt(50)), null));
                    store.putAll(entries);
                    for (KeyValue<Bytes, byte[]> e : entries) {
                        if (e.value == null) {
                            current.remove(e.key);
                        } else {
                            current.put(e.key, e.value);
                        }
                    }
                }
                default -> {
                    byte[] v = {(byte) step, 2};
                    store.put(k, v);
                    current.put(k, v);
                }
            }
            assertArrayEquals(current.get(k), store.get(k), "step " + step);
            assertSameEntries(committed, below(store), "below the layer, step " + step);
        }
        // a scan writes what waits first, and reads everything
        Map<Bytes, byte[]> scanned = new HashMap<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> scanned.put(kv.key, kv.value));
        }
        assertSameEntries(current, scanned, "all()");
        assertSameEntries(current, below(store), "after the scan");
        store.close();
    }

    @Test
    void pastTheBoundTheWritesGoThrough() {
        CommitBatchedKeyValueStore store = open();
        for (int k = 0; k <= CommitBatchedKeyValueStore.MAX_WAITING; k++) {
            store.put(key(k), new byte[] {1});
        }
        assertEquals(0, store.waitingKeys());
        assertEquals(CommitBatchedKeyValueStore.MAX_WAITING + 1, below(store).size());
        store.put(key(-1), new byte[] {2});
        assertEquals(1, store.waitingKeys());
        assertNull(store.wrapped().get(key(-1)));
        store.close();
    }
}
