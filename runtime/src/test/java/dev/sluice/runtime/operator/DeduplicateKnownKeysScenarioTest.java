package dev.sluice.runtime.operator;

import dev.sluice.serdes.binary.BinaryRowSerde;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DeduplicateProcessor} over its result table with the table's key filter
 * ({@link KnownStoreKeys}) against an in-memory model of a deduplication: random keys (new ones all
 * along, repeated ones), rows in and out of event-time order, equal times, record cache on and off
 * with commits in between. The rows it forwards (in order) and the table's entries at the end must
 * be the model's, and the same as without the filter.
 */
class DeduplicateKnownKeysScenarioTest {
    private static final Schema KEY = new Schema(List.of(new Column("id", ScalarType.BIGINT)));
    private static final Schema VALUE = new Schema(List.of(new Column("id", ScalarType.BIGINT),
            new Column("n", ScalarType.BIGINT), new Column("ts", ScalarType.BIGINT)));
    private static final String TABLE = "q-dedup-table-store";

    private record Outcome(List<String> forwarded, Map<Long, String> table) {
    }

    @ParameterizedTest(name = "keep last {0}, cache {1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void forwardsAndKeepsWhatTheModelDoes(boolean keepLast, boolean cache) throws Exception {
        long seed = (keepLast ? 1 : 3) + (cache ? 0 : 1);
        Outcome withFilter = run(keepLast, cache, true, seed);
        Outcome model = model(keepLast, seed);
        assertEquals(model.forwarded(), withFilter.forwarded());
        assertEquals(model.table(), withFilter.table());
        assertEquals(run(keepLast, cache, false, seed), withFilter, "the same without the filter");
        assertTrue(model.table().size() > 100 && model.forwarded().size() > model.table().size(),
                "new keys and replaced rows both: " + model.table().size() + ", " + model.forwarded().size());
    }

    /** The records of a seed: (key, n, event time), keys new and repeated, times going back now and then. */
    private static List<long[]> records(long seed) {
        Random random = new Random(seed);
        List<long[]> out = new ArrayList<>();
        long time = 10_000;
        long nextNewKey = 0;
        for (int n = 0; n < 1_200; n++) {
            long key = random.nextInt(3) == 0 || nextNewKey == 0 ? nextNewKey++ : random.nextInt((int) nextNewKey);
            time += random.nextInt(20) - 6; // sometimes older than the kept row, sometimes equal
            out.add(new long[]{key, n, time});
        }
        return out;
    }

    private static Outcome model(boolean keepLast, long seed) {
        Map<Long, long[]> kept = new HashMap<>();
        List<String> forwarded = new ArrayList<>();
        for (long[] r : records(seed)) {
            long[] previous = kept.get(r[0]);
            boolean replace = previous == null || (keepLast ? r[2] >= previous[2] : r[2] < previous[2]);
            if (replace) {
                kept.put(r[0], r);
                forwarded.add(text(r[0], r[1], r[2]));
            }
        }
        Map<Long, String> table = new TreeMap<>();
        kept.forEach((k, r) -> table.put(k, text(r[0], r[1], r[2])));
        return new Outcome(forwarded, table);
    }

    private static String text(Object key, Object n, Object ts) {
        return key + ":" + n + "@" + ts;
    }

    private static Outcome run(boolean keepLast, boolean cache, boolean filter, long seed) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<Row, Row> deduplicated = builder.stream("in", Consumed.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)))
                .processValues(() -> DeduplicateProcessor.overResultTable(TABLE, keepLast, OptionalInt.of(2),
                        filter ? new BinaryRowSerde(KEY).serializer() : null), Named.as("q-dedup"));
        deduplicated.to("forwarded", Produced.with(new BinaryRowSerde(KEY), new BinaryRowSerde(VALUE)));
        deduplicated.toTable(Named.as("q-dedup-to-table"), Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(TABLE)
                .withKeySerde(new BinaryRowSerde(KEY)).withValueSerde(new BinaryRowSerde(VALUE)));
        Topology topology = builder.build();
        topology.connectProcessorAndStateStores("q-dedup", TABLE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-known-keys-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dedup-known-keys").toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache ? 10 * 1024 * 1024 : 0);
        List<String> forwarded = new ArrayList<>();
        Map<Long, String> table = new TreeMap<>();
        Random commits = new Random(seed);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            var in = driver.createInputTopic("in", new BinaryRowSerde(KEY).serializer(), new BinaryRowSerde(VALUE).serializer());
            var out = driver.createOutputTopic("forwarded", new BinaryRowSerde(KEY).deserializer(),
                    new BinaryRowSerde(VALUE).deserializer());
            for (long[] r : records(seed)) {
                in.pipeInput(new Row(new Object[]{r[0]}), new Row(new Object[]{r[0], r[1], r[2]}), Instant.ofEpochMilli(r[2]));
                if (commits.nextInt(50) == 0) {
                    driver.advanceWallClockTime(Duration.ofSeconds(31)); // a commit: the cache flushes
                }
            }
            for (KeyValue<Row, Row> kv : out.readKeyValuesToList()) {
                forwarded.add(text(kv.value.get(0), kv.value.get(1), kv.value.get(2)));
            }
            KeyValueStore<Row, ValueAndTimestamp<Row>> store = driver.getTimestampedKeyValueStore(TABLE);
            try (KeyValueIterator<Row, ValueAndTimestamp<Row>> all = store.all()) {
                while (all.hasNext()) {
                    Row row = all.next().value.value();
                    table.put((Long) row.get(0), text(row.get(0), row.get(1), row.get(2)));
                }
            }
        }
        return new Outcome(forwarded, table);
    }

    /** The filter answers for a store that already holds keys (a restored one) from its scan. */
    @Test
    void aStoreWithKeysIsScannedAtTheFirstQuestion() {
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"),
                Serdes.String(), Serdes.String()).withLoggingDisabled().withCachingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        for (int i = 0; i < 5_000; i++) {
            store.put("k" + i, "v");
        }
        KnownStoreKeys<String> known = new KnownStoreKeys<>(store, Serdes.String().serializer(), "s");
        for (int i = 0; i < 5_000; i++) {
            assertTrue(known.mightContain("k" + i), "k" + i);
        }
        int falsePositives = 0;
        for (int i = 5_000; i < 15_000; i++) {
            if (known.mightContain("k" + i)) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 300, "about 1 % of keys never added: " + falsePositives);
        known.add("new");
        assertTrue(known.mightContain("new"));
        assertFalse(known.mightContain("k" + 20_000) && known.mightContain("k" + 20_001) && known.mightContain("k" + 20_002));
    }
}
