package dev.sluice.bench;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.InMemoryTimeOrderedKeyValueChangeBuffer;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Map;

/**
 * Bytes held in a topology's state stores at the end of a run: the serialized keys and values of the
 * innermost (bytes) stores, plus the suppress buffers' own byte count. Counting serialized bytes
 * rather than RocksDB files measures what each version's serdes put in state, independent of the
 * store engine.
 */
final class StateSize {
    private StateSize() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static long of(Map<String, StateStore> stores) {
        long total = 0;
        for (StateStore store : stores.values()) {
            StateStore inner = store;
            while (inner instanceof WrappedStateStore<?, ?, ?> wrapped) {
                inner = wrapped.wrapped();
            }
            if (inner instanceof InMemoryTimeOrderedKeyValueChangeBuffer<?, ?, ?> buffer) {
                total += buffer.bufferSize();
            } else if (inner instanceof KeyValueStore kv) {
                try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
                    total += sum(it);
                }
            } else if (inner instanceof WindowStore ws) {
                try (KeyValueIterator<Windowed<Bytes>, byte[]> it = ws.all()) {
                    total += sumWindowed(it);
                }
            } else if (inner instanceof SessionStore ss) {
                try (KeyValueIterator<Windowed<Bytes>, byte[]> it = ss.findSessions(0L, Long.MAX_VALUE)) {
                    total += sumWindowed(it);
                }
            }
        }
        return total;
    }

    private static long sum(KeyValueIterator<Bytes, byte[]> it) {
        long n = 0;
        while (it.hasNext()) {
            KeyValue<Bytes, byte[]> kv = it.next();
            n += kv.key.get().length + (kv.value == null ? 0 : kv.value.length);
        }
        return n;
    }

    private static long sumWindowed(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
        long n = 0;
        while (it.hasNext()) {
            KeyValue<Windowed<Bytes>, byte[]> kv = it.next();
            n += kv.key.key().get().length + 16 + (kv.value == null ? 0 : kv.value.length);
        }
        return n;
    }
}
