package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
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
 * materializes the result as a table); others are dropped. The store keeps, per key, the kept
 * row with its time appended; with a retention, keys whose row is older than stream time minus
 * the retention are forgotten on a stream-time punctuation.
 */
public final class DeduplicateProcessor extends ContextualFixedKeyProcessor<Row, Row, Row> {
    private final String storeName;
    private final int width;
    private final boolean keepLast;
    private final OptionalInt orderColumn;
    private final long retentionMs;
    private KeyValueStore<Row, Row> kept;

    /** {@code width}: columns of the input row; the store's rows have one more, the kept row's time. */
    public DeduplicateProcessor(String storeName, int width, boolean keepLast, OptionalInt orderColumn,
                                long retentionMs) {
        this.storeName = storeName;
        this.width = width;
        this.keepLast = keepLast;
        this.orderColumn = orderColumn;
        this.retentionMs = retentionMs;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
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
        long ts = orderColumn.isPresent() && row.get(orderColumn.getAsInt()) instanceof Long t ? t : record.timestamp();
        Row previous = kept.get(record.key());
        boolean replace;
        if (previous == null) {
            replace = true;
        } else {
            long previousTs = (Long) previous.get(width);
            replace = keepLast ? ts >= previousTs : orderColumn.isPresent() && ts < previousTs;
        }
        if (replace) {
            Object[] stored = Arrays.copyOf(row.toArray(), width + 1);
            stored[width] = ts;
            kept.put(record.key(), new Row(stored));
            context().forward(record);
        }
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
