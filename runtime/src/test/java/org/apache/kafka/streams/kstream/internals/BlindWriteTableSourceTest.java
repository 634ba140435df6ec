package org.apache.kafka.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BlindWriteTableSource against the DSL's toTable it stands for: the same random records (updates,
 * deletions, deletions of absent keys, out-of-order timestamps) give the same ordered changelog
 * (old rows included, when a reader asks for them) and the same store contents, with the record
 * cache on and off; and the same topology description. Fails if a Kafka Streams upgrade changes
 * what the DSL's table does.
 */
class BlindWriteTableSourceTest {
    private record Outcome(String description, List<String> changelog, Map<String, String> store) {
    }

    @ParameterizedTest(name = "cache {0}, old rows read {1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void givesTheDslTablesChangelogAndStore(boolean cache, boolean oldRows) {
        Outcome dsl = run(false, cache, oldRows, 42);
        Outcome blind = run(true, cache, oldRows, 42);
        assertEquals(dsl.description(), blind.description());
        assertEquals(dsl.changelog(), blind.changelog());
        assertEquals(dsl.store(), blind.store());
        assertTrue(dsl.changelog().size() > 100, "the records changed the table: " + dsl.changelog().size());
    }

    @ParameterizedTest(name = "cache {0}")
    @CsvSource({"true", "false"})
    void aStreamWhoseKeyChangedGetsTheDslsRepartitionedTable(boolean cache) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> rekeyed = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .selectKey((k, v) -> v == null ? k : k + "!", Named.as("rekey"));
        KTable<String, String> table = BlindWriteTableSource.toTable(rekeyed, Named.as("t"), materialized());
        assertFalse(supplier(table) instanceof BlindWriteTableSource,
                "a repartitioned table is the DSL's");
        StreamsBuilder plain = new StreamsBuilder();
        KTable<String, String> direct = BlindWriteTableSource.toTable(
                plain.stream("in", Consumed.with(Serdes.String(), Serdes.String())), Named.as("t"), materialized());
        assertInstanceOf(BlindWriteTableSource.class, supplier(direct));
        assertTrue(builder.build().describe().toString().contains("t-repartition"));
    }

    /** The table's processor supplier (a private field of KTableImpl). */
    private static Object supplier(KTable<?, ?> table) {
        try {
            var field = KTableImpl.class.getDeclaredField("processorSupplier");
            field.setAccessible(true);
            return field.get(table);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Materialized<String, String, KeyValueStore<Bytes, byte[]>> materialized() {
        return Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("t-store")
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String());
    }

    private static Outcome run(boolean blind, boolean cache, boolean oldRows, long seed) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> in = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v, Named.as("pass"));
        KTable<String, String> table = blind
                ? BlindWriteTableSource.toTable(in, Named.as("t"), materialized())
                : in.toTable(Named.as("t"), materialized());
        KStream<String, String> out = oldRows
                ? SluiceGraph.changes(table, "t-changes", (old, now) -> old + ">" + now).orElseThrow()
                : table.toStream(Named.as("t-stream")).mapValues(v -> "null>" + v, Named.as("t-changes"));
        out.to("out", Produced.with(Serdes.String(), Serdes.String()));
        Topology topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "blind-table-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache ? 10 * 1024 * 1024 : 0);
        Random random = new Random(seed);
        List<String> changelog = new ArrayList<>();
        Map<String, String> store = new TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var input = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            var output = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            long time = 1_000;
            for (int i = 0; i < 400; i++) {
                String key = "k" + random.nextInt(12);
                String value = random.nextInt(5) == 0 ? null : "v" + random.nextInt(4);
                time += random.nextInt(7) - 2; // now and then a record older than the last
                input.pipeInput(key, value, time);
                if (random.nextInt(10) == 0) {
                    driver.advanceWallClockTime(java.time.Duration.ofSeconds(31)); // a commit in between
                }
                for (var r : output.readRecordsToList()) {
                    changelog.add(r.key() + "=" + r.value() + "@" + r.timestamp());
                }
            }
            KeyValueStore<String, ValueAndTimestamp<String>> kept = driver.getTimestampedKeyValueStore("t-store");
            try (KeyValueIterator<String, ValueAndTimestamp<String>> all = kept.all()) {
                while (all.hasNext()) {
                    KeyValue<String, ValueAndTimestamp<String>> e = all.next();
                    store.put(e.key, e.value.value() + "@" + e.value.timestamp());
                }
            }
        }
        return new Outcome(topology.describe().toString(), changelog, store);
    }
}
