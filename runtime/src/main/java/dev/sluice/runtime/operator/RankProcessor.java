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
import java.util.List;

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
    private final Ranking ranking;
    private final String storeName;
    private KeyValueStore<Row, Row> states;

    public RankProcessor(Ranking ranking, String storeName) {
        this.ranking = ranking;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        states = context.getStateStore(storeName);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Record<Row, Row> record) {
        Row stored = states.get(record.key());
        List<Row> old = stored == null ? List.of() : (List<Row>) stored.get(0);
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
