package org.apache.kafka.streams.kstream.internals.graph;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.internals.InternalTopologyBuilder;
import org.apache.kafka.streams.processor.internals.InternalTopicProperties;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;

/**
 * The DSL's {@code UnoptimizableRepartitionNode} (same topic, sink and source, written the same way)
 * whose processor before the sink is one of Sluice's (SluiceGraph#repartitionThrough). The DSL swaps
 * a repartition node's processor for its null-key filter when it builds the topology; this node
 * keeps its own: Sluice's re-key never gives a record a null key (a tombstone gets a key of NULLs).
 */
public final class ProcessorRepartitionNode<K, V> extends BaseRepartitionNode<K, V> {
    private ProcessorRepartitionNode(String nodeName, String sourceName, ProcessorParameters<K, V, K, V> processor,
                                     Serde<K> keySerde, Serde<V> valueSerde, String sinkName, String repartitionTopic,
                                     StreamPartitioner<K, V> partitioner, InternalTopicProperties topicProperties) {
        super(nodeName, sourceName, processor, keySerde, valueSerde, sinkName, repartitionTopic, partitioner,
                topicProperties);
    }

    /** Kept as built: the DSL's null-key rewrite would replace the chain with a filter. */
    @Override
    public void setProcessorParameters(ProcessorParameters<K, V, K, V> processorParameters) {
    }

    @Override
    public void writeToTopology(InternalTopologyBuilder topologyBuilder) {
        topologyBuilder.addInternalTopic(repartitionTopic, internalTopicProperties);
        processorParameters.addProcessorTo(topologyBuilder, parentNodeNames());
        topologyBuilder.addSink(sinkName, repartitionTopic, keySerializer(), valueSerializer(), partitioner,
                processorParameters.processorName());
        topologyBuilder.addSource(null, sourceName, new FailOnInvalidTimestamp(), keyDeserializer(),
                valueDeserializer(), repartitionTopic);
    }

    @Override
    public String toString() {
        return "ProcessorRepartitionNode{" + super.toString() + " }";
    }

    public static final class Builder<K, V> extends BaseRepartitionNodeBuilder<K, V, ProcessorRepartitionNode<K, V>> {
        @Override
        public ProcessorRepartitionNode<K, V> build() {
            return new ProcessorRepartitionNode<>(nodeName, sourceName, processorParameters, keySerde, valueSerde,
                    sinkName, repartitionTopic, partitioner, internalTopicProperties);
        }
    }
}
