package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.Function;

/**
 * The first half of a table GROUP BY: turns a table's upserts and tombstones into changes of
 * groups, each keyed by its group and carrying the row it retracts and the row it adds
 * ({@link #pair}: old, new; either may be null), as {@code KTable#groupBy} sends its aggregate
 * {@code Change(new, old)}. A table's changelog says only what a key's row is now, so this keeps
 * each key's last row in {@code store} (keyed by the table key). Per input record:
 * <ul>
 *   <li>a new key: (null, row) to its group;</li>
 *   <li>an update within one group: (old, new) in one record, so the group retracts and adds in
 *       one step and emits one row (Kafka Streams does the same since KIP-904);</li>
 *   <li>an update that moves the row: (old, null) to the old group, then (null, new) to the new;</li>
 *   <li>a tombstone: (old, null) to the old row's group; nothing for a key without a row.</li>
 * </ul>
 */
public final class TableGroupChanges extends ContextualProcessor<Row, Row, Row, Row> {
    private final String storeName;
    private final Function<Row, Row> groupOf;
    private KeyValueStore<Row, Row> previous;

    /** {@code groupOf}: the group key of an input row. */
    public TableGroupChanges(String storeName, Function<Row, Row> groupOf) {
        this.storeName = storeName;
        this.groupOf = groupOf;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        previous = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<Row, Row> record) {
        Row now = record.value();
        if (record.key() == null || now == EndOfTime.MARKER) {
            return;
        }
        Row old = previous.get(record.key());
        if (now == null) {
            if (old != null) {
                previous.delete(record.key());
                forward(record, groupOf.apply(old), old, null);
            }
            return;
        }
        previous.put(record.key(), now);
        Row group = groupOf.apply(now);
        if (old == null) {
            forward(record, group, null, now);
            return;
        }
        Row oldGroup = groupOf.apply(old);
        if (oldGroup.equals(group)) {
            forward(record, group, old, now);
            return;
        }
        forward(record, oldGroup, old, null);
        forward(record, group, null, now);
    }

    private void forward(Record<Row, Row> record, Row group, Row old, Row now) {
        context().forward(record.withKey(group).withValue(pair(old, now)));
    }

    /** A change of a group: the row it retracts (or null), then the row it adds (or null). */
    public static Row pair(Row old, Row now) {
        return new Row(new Object[] {old, now});
    }
}
