package dev.sluice.cli.serve;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.catalog.SourceDefinition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The maintained tables the query API serves. Each persistent query whose result is a table (CREATE
 * TABLE AS, a dynamic table, an aggregate with EMIT CHANGES) gets one more sub-topology that reads its
 * sink topic into a queryable store, {@code <query>-serve-store}, holding the topic's bytes as written:
 * the store's partitions are the sink topic's, so {@code queryMetadataForKey} with the sink's key bytes
 * finds the instance that owns a key, and standby replicas of it keep answering during a rebalance.
 * The nodes are added only when the API is on, so the golden topologies stay as compiled.
 */
public final class ServedTables {
    /** A served table: its declaration in the catalog, the query that maintains it, its store. */
    public record Served(SourceDefinition source, CompiledQuery query, String store) {
        public String topic() {
            return source.format().topic();
        }
    }

    private ServedTables() {
    }

    /** Which tables of {@code script} would be served, by lower-case name (no topology change). */
    public static Map<String, Served> of(CompiledScript script) {
        Map<String, Served> out = new LinkedHashMap<>();
        for (CompiledQuery q : script.queries()) {
            if (!q.persistent() || !q.table()) {
                continue;
            }
            Optional<SourceDefinition> source = script.sources().stream()
                    .filter(s -> s.format().topic().equals(q.outputTopic())).findFirst();
            source.ifPresent(s -> out.putIfAbsent(s.name().toLowerCase(Locale.ROOT),
                    new Served(s, q, q.id() + "-serve-store")));
        }
        return out;
    }

    /** Adds the serving sub-topologies to the script's topology (before KafkaStreams is created from it). */
    public static Map<String, Served> addTo(CompiledScript script) {
        Map<String, Served> served = of(script);
        Topology topology = script.topology();
        Map<String, String> existingSources = sourceNodesByTopic(topology);
        for (Served s : served.values()) {
            String id = s.query().id();
            String parent = existingSources.get(s.topic());
            if (parent == null) {
                parent = id + "-serve-source";
                topology.addSource(org.apache.kafka.streams.AutoOffsetReset.earliest(), parent, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer(), s.topic());
            }
            String processor = id + "-serve-materialize";
            // a topic some query reads already has a source node (one per topic), which hands over Rows
            var format = s.query().plan().sink().orElseThrow();
            var serdes = new dev.sluice.runtime.build.FormatSerdeFactory();
            var keys = serdes.key(s.query().keySchema(), format).serializer();
            var values = serdes.value(s.query().schema(), format).serializer();
            topology.addProcessor(processor, () -> new Materialize(s.store(), s.topic(), keys, values), parent);
            topology.addStateStore(script.stateBackend().keyValue(s.store()), processor);
        }
        return served;
    }

    private static Map<String, String> sourceNodesByTopic(Topology topology) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source src && src.topicSet() != null) {
                    src.topicSet().forEach(t -> out.put(t, node.name()));
                }
            }
        }
        return out;
    }

    /** Keeps the latest bytes per key, as the sink topic holds them; a tombstone deletes. */
    private static final class Materialize extends ContextualProcessor<Object, Object, Void, Void> {
        private final String storeName;
        private final String topic;
        private final org.apache.kafka.common.serialization.Serializer<dev.sluice.serdes.row.Row> keys;
        private final org.apache.kafka.common.serialization.Serializer<dev.sluice.serdes.row.Row> values;
        private KeyValueStore<Bytes, byte[]> store;

        Materialize(String storeName, String topic,
                    org.apache.kafka.common.serialization.Serializer<dev.sluice.serdes.row.Row> keys,
                    org.apache.kafka.common.serialization.Serializer<dev.sluice.serdes.row.Row> values) {
            this.storeName = storeName;
            this.topic = topic;
            this.keys = keys;
            this.values = values;
        }

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            super.init(context);
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<Object, Object> record) {
            byte[] key = record.key() instanceof dev.sluice.serdes.row.Row row ? keys.serialize(topic, row)
                    : record.key() instanceof byte[] b ? b : null;
            if (key == null) {
                return; // a keyless record cannot be looked up; table sinks always have keys
            }
            if (record.value() == null) {
                store.delete(Bytes.wrap(key));
            } else if (record.value() instanceof dev.sluice.serdes.row.Row row) {
                store.put(Bytes.wrap(key), values.serialize(topic, row));
            } else if (record.value() instanceof byte[] value) {
                store.put(Bytes.wrap(key), value);
            }
        }
    }
}
