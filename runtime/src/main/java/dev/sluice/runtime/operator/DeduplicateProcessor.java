package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * One row per key: the first by event time ({@code orderColumn}; arrival order when empty), or the
 * last when {@code keepLast}. A row that replaces the kept one is forwarded (downstream
 * materializes the result as a table); others are dropped.
 *
 * <p>Where the kept rows live: without a retention, in the table the output lands in just after
 * this processor ({@link #overResultTable}: the {@code toTable} store, whose row for a key is the
 * last one forwarded, stored at that record's timestamp), so each kept row is stored, cached,
 * flushed and changelogged once. With a retention, in a store of its own holding the kept row with
 * its time appended, from which keys whose row is older than stream time minus the retention are
 * forgotten on a stream-time punctuation (the table keeps the row: forgetting is not a deletion).
 */
public final class DeduplicateProcessor extends ContextualFixedKeyProcessor<Row, Row, Row> {
    private final String storeName;
    private final int width;
    private final boolean keepLast;
    private final OptionalInt orderColumn;
    private final long retentionMs;
    private final boolean inResultTable;
    /** The result table's key serializer, for {@link #knownKeys}; null: every key is looked up. */
    private final Serializer<Row> tableKeySerializer;
    private KeyValueStore<Row, Row> kept;
    private ResultTable table;
    /** The keys the result table may have: a new key costs no lookup that would miss. */
    private KnownStoreKeys<Row> knownKeys;

    /** {@code width}: columns of the input row; the store's rows have one more, the kept row's time. */
    public DeduplicateProcessor(String storeName, int width, boolean keepLast, OptionalInt orderColumn,
                                long retentionMs) {
        this(storeName, width, keepLast, orderColumn, retentionMs, false, null);
    }

    private DeduplicateProcessor(String storeName, int width, boolean keepLast, OptionalInt orderColumn,
                                 long retentionMs, boolean inResultTable, Serializer<Row> tableKeySerializer) {
        this.storeName = storeName;
        this.width = width;
        this.keepLast = keepLast;
        this.orderColumn = orderColumn;
        this.retentionMs = retentionMs;
        this.inResultTable = inResultTable;
        this.tableKeySerializer = tableKeySerializer;
    }

    /**
     * Without a retention: the kept rows are read from {@code tableStore}, the timestamped store of
     * the {@code toTable} that takes this processor's output (in the same sub-topology), and stored
     * only there, by that table.
     */
    public static DeduplicateProcessor overResultTable(String tableStore, boolean keepLast, OptionalInt orderColumn) {
        return overResultTable(tableStore, keepLast, orderColumn, null);
    }

    /**
     * As {@link #overResultTable(String, boolean, OptionalInt)}, with the table's key serializer:
     * this processor is the only one that adds keys to that table (through the {@code toTable}
     * after it, which writes every row it forwards; a deduplication never deletes), so it keeps a
     * filter of the table's keys ({@link KnownStoreKeys}) and looks up only keys it may have.
     */
    public static DeduplicateProcessor overResultTable(String tableStore, boolean keepLast, OptionalInt orderColumn,
                                                       Serializer<Row> tableKeySerializer) {
        return new DeduplicateProcessor(tableStore, 0, keepLast, orderColumn, 0, true, tableKeySerializer);
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
        if (inResultTable) {
            table = new ResultTable(context.getStateStore(storeName));
            // anew at every init (after restoration, also of a revived task): it starts from the store
            knownKeys = tableKeySerializer == null ? null
                    : new KnownStoreKeys<>(context.getStateStore(storeName), tableKeySerializer, storeName);
            return;
        }
        kept = context.getStateStore(storeName);
        if (retentionMs > 0) {
            context.schedule(Duration.ofMillis(Math.max(retentionMs / 2, 1000)), PunctuationType.STREAM_TIME,
                    this::expire);
        }
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row row = record.value();
        if (row == null) {
            return;
        }
        long ts = time(row, record.timestamp());
        Long previousTs = keptTime(record.key());
        boolean replace = previousTs == null
                || (keepLast ? ts >= previousTs : orderColumn.isPresent() && ts < previousTs);
        if (replace) {
            if (!inResultTable) {
                Object[] stored = Arrays.copyOf(row.toArray(), width + 1);
                stored[width] = ts;
                kept.put(record.key(), new Row(stored));
            } else if (knownKeys != null) {
                knownKeys.add(record.key()); // the table writes the forwarded row under this key
            }
            context().forward(record);
        }
    }

    /** A row's time: its order column, or the record's timestamp when there is none or it is NULL. */
    private long time(Row row, long recordTimestamp) {
        return orderColumn.isPresent() && row.get(orderColumn.getAsInt()) instanceof Long t ? t : recordTimestamp;
    }

    /** The time of the row kept for {@code key}; null when none is. */
    private Long keptTime(Row key) {
        if (inResultTable) {
            if (knownKeys != null && !knownKeys.mightContain(key)) {
                return null;
            }
            // The table stored the forwarded record at its timestamp: the same time as it was computed.
            ResultTable.Timed current = table.currentTimed(key);
            return current == null ? null : time(current.row(), current.timestamp());
        }
        Row previous = kept.get(key);
        return previous == null ? null : (Long) previous.get(width);
    }

    private void expire(long now) {
        List<Row> old = new ArrayList<>();
        try (KeyValueIterator<Row, Row> all = kept.all()) {
            while (all.hasNext()) {
                KeyValue<Row, Row> e = all.next();
                if ((Long) e.value.get(width) < now - retentionMs) {
                    old.add(e.key);
                }
            }
        }
        old.forEach(kept::delete);
    }
}
