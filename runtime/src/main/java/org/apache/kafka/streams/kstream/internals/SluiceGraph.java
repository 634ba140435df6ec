package org.apache.kafka.streams.kstream.internals;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorGraphNode;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorParameters;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Two things Sluice's topologies need that the Kafka Streams DSL does its own way but does not offer,
 * built from the DSL's own graph nodes (this class lives in the DSL's package for that; the compiler's
 * ColocateRuleTest and GroupByOfGroupByScenarioTest, and the goldens of nexmark_q4 and of every table
 * GROUP BY, fail if a Kafka Streams upgrade changes them):
 * <ul>
 *   <li>{@link #partitionedByKey}: a stream whose key changed in the task, taken as partitioned by its
 *       new key, so {@code groupByKey} adds no repartition topic (the DSL repartitions after any key
 *       change; Sluice's plan knows when the rows of each new key are in one task already);</li>
 *   <li>{@link #changes}: a table's updates with the row each one replaces, as {@code KTable#groupBy}
 *       receives them (the DSL's {@code toStream} drops the old row).</li>
 * </ul>
 */
public final class SluiceGraph {
    private SluiceGraph() {
    }

    /** {@code stream} itself, with no repartition before a later {@code groupByKey}. */
    public static <K, V> KStream<K, V> partitionedByKey(KStream<K, V> stream) {
        KStreamImpl<K, V> impl = (KStreamImpl<K, V>) stream;
        return new KStreamImpl<>(impl.name, impl.keySerde, impl.valueSerde, impl.subTopologySourceNodes, false,
                impl.graphNode, impl.builder);
    }

    /**
     * The table's updates as {@code change.apply(old, new)} (either null: a new key, a deletion), from
     * a processor named {@code name}; empty when the table cannot tell the old row without a store
     * of its own (it would have to be materialized: a source table read without one).
     */
    public static <K, V, VOut> Optional<KStream<K, VOut>> changes(KTable<K, V> table, String name,
                                                                   BiFunction<V, V, VOut> change) {
        KTableImpl<K, ?, V> impl = (KTableImpl<K, ?, V>) table;
        if (!impl.enableSendingOldValues(false)) {
            return Optional.empty();
        }
        KStreamMapValues<K, Change<V>, VOut> pairs = new KStreamMapValues<>((key, c) -> change.apply(c.oldValue,
                c.newValue));
        ProcessorGraphNode<K, Change<V>> node = new ProcessorGraphNode<>(name, new ProcessorParameters<>(pairs, name));
        impl.builder.addGraphNode(impl.graphNode, node);
        return Optional.of(new KStreamImpl<>(name, impl.keySerde, null, impl.subTopologySourceNodes, false, node,
                impl.builder));
    }
}
