package org.apache.kafka.streams.kstream.internals;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorGraphNode;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorParameters;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A GROUP BY's result rows as a table without a store of its own: each group's row is a function of
 * its key and aggregate state, so the row a change replaces is computed from the state the aggregate
 * sends with the new one ({@code Change(new, old)}, the DSL's sendOldValues: with the record cache,
 * the state at the group's last flush, read from the aggregate's store), not read back from a
 * materialized copy of the rows. It lives in the DSL's package for {@link KTableProcessorSupplier},
 * as {@link SluiceGraph}; {@code GroupRowsTableTest} fails if a Kafka Streams upgrade changes that.
 *
 * <p>The emission rules are those of a result table fed by {@code GroupResultProcessor}: a change
 * whose new row and old row are both absent is no change, and with {@code dropUnchanged} neither is
 * one whose rows are equal. The table that got every row the rules let through holds, for each key,
 * exactly {@code toRow(key, state at the last change)}: the old row computed here is the row it held.
 *
 * <p>Downstream operators that ask for old values get them (the old row); one that asks for the
 * table's current value (a join's value getter) gets the row of the aggregate store's current state.
 */
public final class GroupRowsTable<K, S, R> implements KTableProcessorSupplier<K, S, K, R> {
    private final KTableImpl<K, ?, S> states;
    private final BiFunction<K, S, R> toRow;
    private final boolean dropUnchanged;
    private boolean sendOldValues;

    private GroupRowsTable(KTableImpl<K, ?, S> states, BiFunction<K, S, R> toRow, boolean dropUnchanged) {
        this.states = states;
        this.toRow = toRow;
        this.dropUnchanged = dropUnchanged;
    }

    /**
     * The rows of {@code states} (an aggregate's table, which can always send old states) from a
     * processor named {@code name}; {@code toRow} is the group's row, null for none (a null state
     * never reaches it).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K, S, R> KTable<K, R> of(KTable<K, S> states, String name, BiFunction<K, S, R> toRow,
                                            boolean dropUnchanged, Serde<R> rowSerde) {
        KTableImpl<K, ?, S> impl = (KTableImpl<K, ?, S>) states;
        if (!impl.enableSendingOldValues(true)) {
            throw new IllegalStateException("the aggregate table sends no old states: " + impl.name);
        }
        GroupRowsTable<K, S, R> supplier = new GroupRowsTable<>(impl, toRow, dropUnchanged);
        ProcessorGraphNode<K, R> node = new ProcessorGraphNode<>(name, (ProcessorParameters) new ProcessorParameters<>(
                supplier, name));
        impl.builder.addGraphNode(impl.graphNode, node);
        return new KTableImpl<>(name, impl.keySerde, rowSerde, impl.subTopologySourceNodes, null, supplier, node,
                impl.builder);
    }

    private R row(K key, S state) {
        return state == null ? null : toRow.apply(key, state);
    }

    @Override
    public Processor<K, Change<S>, K, Change<R>> get() {
        return new ContextualProcessor<>() {
            @Override
            public void process(Record<K, Change<S>> record) {
                R next = row(record.key(), record.value().newValue);
                R previous = row(record.key(), record.value().oldValue);
                if (next == null ? previous == null : dropUnchanged && Objects.equals(next, previous)) {
                    return;
                }
                context().forward(record.withValue(new Change<>(next, sendOldValues ? previous : null,
                        record.value().isLatest)));
            }
        };
    }

    @Override
    public KTableValueGetterSupplier<K, R> view() {
        KTableValueGetterSupplier<K, S> parent = states.valueGetterSupplier();
        return new KTableValueGetterSupplier<>() {
            @Override
            public KTableValueGetter<K, R> get() {
                KTableValueGetter<K, S> getter = parent.get();
                return new KTableValueGetter<>() {
                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        getter.init(context);
                    }

                    @Override
                    public ValueTimestampHeaders<R> get(K key) {
                        ValueTimestampHeaders<S> state = getter.get(key);
                        return state == null ? null
                                : ValueTimestampHeaders.make(row(key, state.value()), state.timestamp(), state.headers());
                    }

                    @Override
                    public boolean isVersioned() {
                        return false;
                    }

                    @Override
                    public void close() {
                        getter.close();
                    }
                };
            }

            @Override
            public String[] storeNames() {
                return parent.storeNames();
            }
        };
    }

    @Override
    public boolean enableSendingOldValues(boolean forceMaterialization) {
        // the old row is computed from the old state, which the aggregate always sends (see of)
        sendOldValues = true;
        return true;
    }
}
