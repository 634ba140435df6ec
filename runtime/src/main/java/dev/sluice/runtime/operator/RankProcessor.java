package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-N of one partition per key. Input records are change rows (the input columns, then a deleted
 * flag; see {@link TableRowChanges}) keyed by the partition. The store holds each partition's rows
 * in rank order ({@link Ranking}). Each change forwards only the positions whose row or rank
 * changed, keyed by (partition, position), and a tombstone for each position that no longer
 * exists: a change that leaves the visible top-N as it was forwards nothing, as Flink's rank
 * operators emit nothing then; a change that leaves the partition's kept rows as they were (over a
 * stream, a row ranked past the limit) does not write the store either. The store runs with the
 * record cache ({@link #store}).
 */
public final class RankProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    /** Partitions whose kept rows stay deserialized in memory between records (per task). */
    public static final int RECENT_PARTITIONS = 1024;
    /** A partition keeping more rows than this (a table's) is read from the store each time. */
    private static final int RECENT_MAX_ROWS = 64;

    private final Ranking ranking;
    private final String storeName;
    private KeyValueStore<Row, Row> states;
    /**
     * The kept rows of the most recently used partitions, as the store holds them: this processor is
     * the store's only writer, and writes both, so a hot partition (Nexmark q19's hot auctions) is
     * not decoded from the store's bytes on every record (decoding up to ten whole rows, strings
     * included, was the largest cost left once the store was cached). Emptied in {@link #init},
     * which Kafka Streams calls again whenever the task's state is restored, so it never outlives
     * the store's contents.
     */
    private final Map<Row, List<Row>> recent;

    public RankProcessor(Ranking ranking, String storeName) {
        this(ranking, storeName, RECENT_PARTITIONS);
    }

    /** {@code recentPartitions}: how many partitions' rows to keep decoded (tests use a few). */
    public RankProcessor(Ranking ranking, String storeName, int recentPartitions) {
        this.ranking = ranking;
        this.storeName = storeName;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Row, List<Row>> eldest) {
                return size() > recentPartitions;
            }
        };
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        states = context.getStateStore(storeName);
        recent.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Record<Row, Row> record) {
        List<Row> old = recent.get(record.key());
        if (old == null) {
            Row stored = states.get(record.key());
            old = stored == null ? List.of() : (List<Row>) stored.get(0);
            remember(record.key(), old);
        }
        List<Row> rows = new ArrayList<>(old);
        ranking.apply(rows, record.value());
        List<Row> kept = ranking.retained(rows);
        if (kept.equals(old)) {
            // What the partition keeps is as it was (over a stream: a row ranked past the limit, the
            // common case once a partition is full): no write, and the top-N, a function of the kept
            // rows, is unchanged, so nothing to forward either.
            return;
        }
        if (kept.isEmpty()) {
            states.delete(record.key()); // a table partition whose last row went: no empty entry left behind
        } else {
            states.put(record.key(), new Row(new Object[]{kept}));
        }
        remember(record.key(), kept);
        List<Row> before = ranking.top(old);
        List<Row> after = ranking.top(rows);
        for (int p = 0; p < Math.max(before.size(), after.size()); p++) {
            Row key = positionKey(record.key(), p + 1);
            if (p >= after.size()) {
                context().forward(record.withKey(key).withValue(null));
            } else if (p >= before.size() || !before.get(p).equals(after.get(p))) {
                context().forward(record.withKey(key).withValue(after.get(p)));
            }
        }
    }

    /** Keeps {@code rows} (never changed afterwards: each change builds a new list) as the partition's. */
    private void remember(Row partition, List<Row> rows) {
        if (rows.size() <= RECENT_MAX_ROWS) {
            recent.put(partition, rows);
        } else {
            recent.remove(partition);
        }
    }

    /**
     * The store of each partition's kept rows ({@code stateSerde}: one column, the rows), with the
     * record cache: a hot partition (Nexmark q19's hot auctions) is read and rewritten per record in
     * memory, and reaches RocksDB and the changelog once per commit.
     */
    public static StoreBuilder<KeyValueStore<Row, Row>> store(String name, Serde<Row> partitionSerde,
                                                              Serde<Row> stateSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), partitionSerde, stateSerde)
                .withCachingEnabled();
    }

    /** The output key: the partition's columns, then the 1-based position. */
    static Row positionKey(Row partition, long position) {
        Object[] key = new Object[partition.size() + 1];
        System.arraycopy(partition.toArray(), 0, key, 0, partition.size());
        key[partition.size()] = position;
        return new Row(key);
    }
}
