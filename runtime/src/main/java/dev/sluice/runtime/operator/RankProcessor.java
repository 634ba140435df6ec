package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.StateBackend;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

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
 *
 * <p>Over a stream whose output table is built in this task ({@link #overResultTable}), the kept
 * rows are exactly the rows of the partition's positions in that table (a stream's partition keeps
 * only what ranks, each at its position, and a position that goes is deleted there), so they are
 * read from the table and stored nowhere else: no second store holding, caching, flushing and
 * changelogging the same rows (for Nexmark q19, ten rows per auction rewritten whole per change).
 */
public final class RankProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    /** Partitions whose kept rows stay deserialized in memory between records (per task). */
    public static final int RECENT_PARTITIONS = 1024;
    /** A partition keeping more rows than this (a table's) is read from the store each time. */
    private static final int RECENT_MAX_ROWS = 64;

    private final Ranking ranking;
    private final String storeName;
    /** Input columns of a kept row; positive when the kept rows are read from the result table. */
    private final int tableRowWidth;
    private KeyValueStore<Row, Row> states;
    private ResultTable table;
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
        this(ranking, storeName, recentPartitions, 0);
    }

    /**
     * Over a stream: the kept rows are read from {@code tableStore}, the store of the output table
     * built in this task (its rows: the {@code width} input columns, then the rank if appended), and
     * written only there, by this processor's forwards.
     */
    public static RankProcessor overResultTable(Ranking ranking, String tableStore, int width, int recentPartitions) {
        if (width <= 0) {
            throw new IllegalArgumentException("a ranked row has columns");
        }
        return new RankProcessor(ranking, tableStore, recentPartitions, width);
    }

    private RankProcessor(Ranking ranking, String storeName, int recentPartitions, int tableRowWidth) {
        this.ranking = ranking;
        this.storeName = storeName;
        this.tableRowWidth = tableRowWidth;
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
        if (tableRowWidth > 0) {
            table = new ResultTable(context.getStateStore(storeName));
        } else {
            states = context.getStateStore(storeName);
        }
        recent.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Record<Row, Row> record) {
        List<Row> old = recent.get(record.key());
        if (old == null) {
            old = stored(record.key());
            remember(record.key(), old);
        }
        if (ranking.rankedOutAtOnce(old, record.value())) {
            return; // as the general path below would find, without copying and sorting the rows
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
        if (table != null) {
            // the forwards below write the table, which is where the kept rows are read from
        } else if (kept.isEmpty()) {
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

    /** The partition's kept rows as stored: in its own store, or at its positions of the result table. */
    @SuppressWarnings("unchecked")
    private List<Row> stored(Row partition) {
        if (table == null) {
            Row stored = states.get(partition);
            return stored == null ? List.of() : (List<Row>) stored.get(0);
        }
        List<Row> rows = new ArrayList<>();
        // a partition that keeps at most n rows has no position n + 1: no lookup that would miss
        long last = ranking.maxKept().orElse(Long.MAX_VALUE);
        for (long position = 1; position <= last; position++) {
            Row row = table.current(positionKey(partition, position));
            if (row == null) {
                return rows;
            }
            rows.add(row.size() == tableRowWidth ? row : new Row(java.util.Arrays.copyOf(row.toArray(), tableRowWidth)));
        }
        return rows;
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
                                                              Serde<Row> stateSerde, StateBackend backend) {
        return backend.keyValue(name, partitionSerde, stateSerde).withCachingEnabled();
    }

    /** The output key: the partition's columns, then the 1-based position. */
    static Row positionKey(Row partition, long position) {
        Object[] key = new Object[partition.size() + 1];
        System.arraycopy(partition.toArray(), 0, key, 0, partition.size());
        key[partition.size()] = position;
        return new Row(key);
    }
}
