package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.build.LateRecordException;
import dev.sluice.runtime.build.TargetLags;
import dev.sluice.runtime.build.WindowStoreRetention;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dynamic table's TARGET_LAG in wall-clock time. Each change of the table waits in a store, the
 * latest per key; a wall-clock punctuator publishes everything waiting once the lag has passed since
 * the last publish, or at once after a refresh request. So a change is published at most one lag
 * (plus one ~100 ms tick) after it arrived, also when no further input comes, and each key is
 * published at most once per lag. A deletion waits the same way. Kafka Streams'
 * {@code suppress(untilTimeLimit)} measures stream time, which stops when the input stops.
 *
 * <p>A fixed-key processor: the key never changes, so the table after it needs no repartition.
 *
 * <p>The pending row is stored with two extra columns: whether it is a deletion, and its timestamp.
 */
public final class TargetLagProcessor extends ContextualFixedKeyProcessor<Row, Row, Row> {
    public static final long TICK_MS = 100;

    private final String store;
    private final long lagMs;
    private final int width;
    private final TargetLags.State state;
    private KeyValueStore<Row, Row> pending;
    private long lastPublish;
    private long refreshesSeen;

    public TargetLagProcessor(String stepName, String store, long lagMs, int width) {
        this.store = store;
        this.lagMs = lagMs;
        this.width = width;
        this.state = TargetLags.register(stepName, lagMs);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
        pending = context.getStateStore(store);
        lastPublish = context.currentSystemTimeMs();
        refreshesSeen = state.refreshRequests();
        long waiting = pending.approximateNumEntries();
        state.keysAdded(waiting); // restored from the changelog: still to publish
        context.schedule(Duration.ofMillis(Math.min(TICK_MS, lagMs)), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.key() == null) {
            return;
        }
        Object[] stored = record.value() == null ? new Object[width + 2] : Arrays.copyOf(record.value().toArray(), width + 2);
        stored[width] = record.value() == null;
        stored[width + 1] = record.timestamp();
        if (pending.get(record.key()) == null) {
            state.keysAdded(1);
        }
        pending.put(record.key(), new Row(stored));
    }

    private void tick(long now) {
        long refreshes = state.refreshRequests();
        if (now - lastPublish < lagMs && refreshes == refreshesSeen) {
            return;
        }
        refreshesSeen = refreshes;
        lastPublish = now;
        List<KeyValue<Row, Row>> due = new ArrayList<>();
        try (KeyValueIterator<Row, Row> all = pending.all()) {
            all.forEachRemaining(due::add);
        }
        for (KeyValue<Row, Row> e : due) {
            boolean deleted = Boolean.TRUE.equals(e.value.get(width));
            long ts = (Long) e.value.get(width + 1);
            Row value = deleted ? null : new Row(Arrays.copyOf(e.value.toArray(), width));
            // A punctuation has no input record to derive a FixedKeyRecord from; the key is the stored key,
            // unchanged, so the table after this step needs no repartition.
            context().forward(InternalFixedKeyRecordFactory.create(new Record<>(e.key, value, ts)));
            pending.delete(e.key);
        }
        state.publishedNow(due.size(), System.currentTimeMillis());
    }
}
