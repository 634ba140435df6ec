package org.apache.kafka.streams.kstream.internals;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.internals.graph.GraphNode;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorParameters;
import org.apache.kafka.streams.kstream.internals.graph.StreamToTableNode;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueTimestampHeaders;
import org.apache.kafka.streams.state.internals.KeyValueStoreWrapper;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.lang.reflect.Field;

/**
 * {@code KStream#toTable} whose table processor reads a key's old row only when it forwards it.
 * The DSL's {@link KTableSource} reads the old row of every record before it writes the new one,
 * yet with the record cache on (Sluice's default) it forwards nothing itself: the cache forwards on
 * flush, reading the old row from the store underneath then. So each record paid one more store
 * lookup for nothing, and for a key the table never had (most of Nexmark q18's (bidder, auction)
 * keys, q19's new positions) one that missed the cache and went down to RocksDB. Here the write is
 * blind when the cache forwards, or when no downstream asks for old rows; otherwise the processor
 * does what the DSL's does (the out-of-order warning apart). Everything else (store, value getter,
 * names) is the DSL's: a subclass of {@link KTableSource} in its package, built as
 * {@code KStreamImpl#toTable} builds it; {@code BlindWriteTableSourceTest} compares the two and
 * fails if a Kafka Streams upgrade makes them differ.
 */
public final class BlindWriteTableSource<K, V> extends KTableSource<K, V> {
    private boolean sendOldValues;

    private BlindWriteTableSource(MaterializedInternal<K, V, KeyValueStore<Bytes, byte[]>> materialized) {
        super(materialized);
    }

    /**
     * {@code stream.toTable(named, materialized)} with this table processor, for a stream that needs
     * no repartition first (its records are in the task of their key); any other stream gets the
     * DSL's own {@code toTable}.
     */
    public static <K, V> KTable<K, V> toTable(KStream<K, V> stream, Named named,
                                              Materialized<K, V, KeyValueStore<Bytes, byte[]>> materialized) {
        KStreamImpl<K, V> impl = (KStreamImpl<K, V>) stream;
        if (new NamedInternal(named).name() == null || repartitionRequired(impl)) {
            return stream.toTable(named, materialized);
        }
        // burns a processor index as the DSL's toTable does, so later generated names stay the same
        String name = new NamedInternal(named).orElseGenerateWithPrefix(impl.builder, "KSTREAM-TOTABLE-");
        MaterializedInternal<K, V, KeyValueStore<Bytes, byte[]>> internal =
                new MaterializedInternal<>(materialized, impl.builder, "KSTREAM-TOTABLE-");
        BlindWriteTableSource<K, V> source = new BlindWriteTableSource<>(internal);
        GraphNode node = new StreamToTableNode<>(name, new ProcessorParameters<>(source, name));
        impl.builder.addGraphNode(impl.graphNode, node);
        return new KTableImpl<K, V, V>(name,
                internal.keySerde() == null ? impl.keySerde : internal.keySerde(),
                internal.valueSerde() == null ? impl.valueSerde : internal.valueSerde(),
                impl.subTopologySourceNodes, internal.queryableStoreName(), source, node, impl.builder);
    }

    /**
     * Whether the DSL would repartition {@code stream} before a table (its key changed since its
     * topic): a private field of {@link KStreamImpl}; true (the DSL's toTable, always right) when it
     * cannot be read.
     */
    private static boolean repartitionRequired(KStreamImpl<?, ?> stream) {
        try {
            Field field = KStreamImpl.class.getDeclaredField("repartitionRequired");
            field.setAccessible(true);
            return field.getBoolean(stream);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public void enableSendingOldValues() {
        super.enableSendingOldValues();
        sendOldValues = true;
    }

    @Override
    public Processor<K, V, K, Change<V>> get() {
        if (!materialized()) {
            return super.get(); // no store: the DSL's processor forwards each record as it is
        }
        return new BlindWriter();
    }

    private final class BlindWriter implements Processor<K, V, K, Change<V>> {
        private ProcessorContext<K, Change<V>> context;
        private KeyValueStoreWrapper<K, V> store;
        /** Null when the record cache forwards the table's changes (on flush, with their old rows). */
        private TimestampedTupleForwarder<K, V> forwarder;

        @Override
        public void init(ProcessorContext<K, Change<V>> context) {
            this.context = context;
            store = new KeyValueStoreWrapper<>(context, queryableName());
            if (store.isVersionedStore()) {
                throw new IllegalStateException("a blind-write table needs a timestamped store: " + queryableName());
            }
            // as TimestampedTupleForwarder's constructor does, keeping the answer: whether a cache forwards
            @SuppressWarnings({"unchecked", "rawtypes"})
            boolean cached = ((WrappedStateStore) store.store()).setFlushListener(
                    store.isHeadersStore() ? new TimestampedCacheFlushListenerWithHeaders<>(context)
                            : new TimestampedCacheFlushListener<>(context),
                    sendOldValues);
            forwarder = cached ? null : new TimestampedTupleForwarder<>(context, sendOldValues);
        }

        @Override
        public void process(Record<K, V> record) {
            if (record.key() == null) {
                return; // as the DSL's table drops it (Sluice's keys are never null)
            }
            V old = null;
            if (forwarder != null && sendOldValues) {
                ValueTimestampHeaders<V> previous = store.get(record.key());
                old = previous == null ? null : previous.value();
            }
            store.put(record.key(), record.value(), record.timestamp(), new RecordHeaders());
            if (forwarder != null) {
                forwarder.maybeForward(record.withValue(new Change<>(record.value(), old, true)));
            }
        }
    }
}
