package org.apache.kafka.streams.kstream.internals;

import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorGraphNode;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorParameters;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

import java.util.Objects;

/**
 * {@code KTable#mapValues} that forwards nothing when a change maps to the row it replaces, as
 * Flink's GroupAggFunction emits nothing when a group's new aggregate values equal the previous
 * ones (a MAX that a smaller value does not move, a COUNT(DISTINCT) of a value already seen, a
 * retraction and addition that cancel out).
 *
 * <p>Kafka Streams' public API cannot do this: a KTable operator sees only the new value, and
 * every aggregate forwards every update. This node is built the way {@code KTableImpl#mapValues}
 * builds its own (a {@link ProcessorGraphNode} named as asked, no store), so the topology
 * describes exactly as a plain {@code mapValues} would; it lives in Kafka's package because the
 * graph-building types are package-internal. It always asks its parent for old values (an
 * aggregate keeps them in its store anyway) so it can compare them. Pinned to the Kafka Streams
 * version of the parent POM: an upgrade that changes these internals fails to compile here.
 */
public final class UnchangedDroppingMapValues<K, V, VR> implements KTableProcessorSupplier<K, V, K, VR> {
    private final KTableImpl<K, ?, V> parent;
    private final ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper;
    private boolean sendOldValues;

    private UnchangedDroppingMapValues(KTableImpl<K, ?, V> parent,
                                       ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper) {
        this.parent = parent;
        this.mapper = mapper;
    }

    /**
     * The table of {@code mapper}'s rows (null maps to null, and a mapped null is a deletion),
     * without the updates whose mapped row equals the previous one. Its processor is named
     * {@code name}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K, V, VR> KTable<K, VR> mapValues(KTable<K, V> table,
                                                     ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper,
                                                     String name) {
        KTableImpl<K, ?, V> parent = (KTableImpl<K, ?, V>) table;
        if (!parent.enableSendingOldValues(true)) {
            throw new IllegalStateException("the table before " + name + " cannot send old values");
        }
        UnchangedDroppingMapValues<K, V, VR> supplier = new UnchangedDroppingMapValues<>(parent, mapper);
        ProcessorGraphNode node = new ProcessorGraphNode(name, new ProcessorParameters(supplier, name));
        parent.builder.addGraphNode(parent.graphNode, node);
        return new KTableImpl<K, V, VR>(name, parent.keySerde, null, parent.subTopologySourceNodes, null,
                supplier, node, parent.builder);
    }

    private VR map(K key, V value) {
        return value == null ? null : mapper.apply(key, value);
    }

    @Override
    public Processor<K, Change<V>, K, Change<VR>> get() {
        return new ContextualProcessor<>() {
            @Override
            public void process(Record<K, Change<V>> record) {
                VR now = map(record.key(), record.value().newValue);
                VR before = map(record.key(), record.value().oldValue);
                if (Objects.equals(now, before)) {
                    return;
                }
                context().forward(record.withValue(
                        new Change<>(now, sendOldValues ? before : null, record.value().isLatest)));
            }
        };
    }

    @Override
    public KTableValueGetterSupplier<K, VR> view() {
        KTableValueGetterSupplier<K, V> parentView = parent.valueGetterSupplier();
        return new KTableValueGetterSupplier<>() {
            @Override
            public KTableValueGetter<K, VR> get() {
                KTableValueGetter<K, V> getter = parentView.get();
                return new KTableValueGetter<>() {
                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        getter.init(context);
                    }

                    @Override
                    public ValueTimestampHeaders<VR> get(K key) {
                        ValueTimestampHeaders<V> found = getter.get(key);
                        if (found == null) {
                            return null;
                        }
                        return ValueTimestampHeaders.make(map(key, found.value()), found.timestamp(),
                                found.headers());
                    }

                    @Override
                    public boolean isVersioned() {
                        return getter.isVersioned();
                    }

                    @Override
                    public void close() {
                        getter.close();
                    }
                };
            }

            @Override
            public String[] storeNames() {
                return parentView.storeNames();
            }
        };
    }

    @Override
    public boolean enableSendingOldValues(boolean forceMaterialization) {
        // The parent sends old values already (see mapValues).
        sendOldValues = true;
        return true;
    }
}
