package org.apache.kafka.streams.kstream.internals;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorGraphNode;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorParameters;
import org.apache.kafka.streams.kstream.internals.graph.ProcessorRepartitionNode;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.common.serialization.Serde;

import java.util.Optional;
import java.util.Set;
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
 *       receives them (the DSL's {@code toStream} drops the old row);</li>
 *   <li>{@link #repartitionThrough}: {@code repartition} whose record-passing processor before the
 *       topic's sink is a processor of Sluice's (a fused chain of stateless steps) instead of the
 *       DSL's pass-through {@code <name>-repartition-filter}; the topic, sink and source keep the
 *       DSL's names (StatelessChainTest and the nexmark goldens fail if that changes).</li>
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
     * {@code stream.repartition(repartitioned)} with {@code processor}, named {@code processorName},
     * as the one processor before the topic's sink: the same topic, sink and source as the DSL's.
     */
    public static <K, V> KStream<K, V> repartitionThrough(KStream<K, V> stream, String processorName,
                                                          ProcessorSupplier<K, V, K, V> processor,
                                                          Repartitioned<K, V> repartitioned) {
        KStreamImpl<K, V> impl = (KStreamImpl<K, V>) stream;
        RepartitionedInternal<K, V> internal = new RepartitionedInternal<>(repartitioned);
        if (internal.name() == null) {
            throw new IllegalArgumentException("a repartition through a processor needs a name");
        }
        Serde<V> valueSerde = internal.valueSerde() == null ? impl.valueSerde : internal.valueSerde();
        Serde<K> keySerde = internal.keySerde() == null ? impl.keySerde : internal.keySerde();
        ProcessorRepartitionNode.Builder<K, V> node = new ProcessorRepartitionNode.Builder<>();
        // as KStreamImpl#repartition builds it (the same serdes passed on), then the processor swapped in
        String sourceName = KStreamImpl.createRepartitionedSource(impl.builder, internal.keySerde(), valueSerde,
                internal.name(), internal.streamPartitioner(),
                node.withInternalTopicProperties(internal.toInternalTopicProperties()), true);
        node.withProcessorParameters(new ProcessorParameters<>(processor, processorName));
        ProcessorRepartitionNode<K, V> built = node.build();
        impl.builder.addGraphNode(impl.graphNode, built);
        return new KStreamImpl<>(sourceName, keySerde, valueSerde, Set.of(built.nodeName()), false, built,
                impl.builder);
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
