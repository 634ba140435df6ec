package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.Record;

import java.util.function.Function;

/**
 * The first half of a table GROUP BY: turns a table's upserts and tombstones into changes of
 * groups, each keyed by its group and carrying the row it retracts and the row it adds
 * ({@link #pair}: old, new; either may be null), as {@code KTable#groupBy} sends its aggregate
 * {@code Change(new, old)}, from each key's last row ({@link PreviousRowChanges}: kept in a store, or sent by the table). Per input record:
 * <ul>
 *   <li>a new key: (null, row) to its group;</li>
 *   <li>an update within one group: (old, new) in one record, so the group retracts and adds in
 *       one step and emits one row (Kafka Streams does the same since KIP-904);</li>
 *   <li>an update that moves the row: (old, null) to the old group, then (null, new) to the new;</li>
 *   <li>a tombstone: (old, null) to the old row's group; nothing for a key without a row.</li>
 * </ul>
 */
public final class TableGroupChanges extends PreviousRowChanges {
    /** {@code groupOf}: the group key of an input row. */
    public TableGroupChanges(String storeName, Function<Row, Row> groupOf) {
        super(storeName, groupOf);
    }

    /**
     * The same changes from a table that sends each update with the row it replaces, as
     * {@link #pair}(old, new) values: no store of its own (the table's store holds those rows).
     */
    public static TableGroupChanges fromOldValues(Function<Row, Row> groupOf) {
        return new TableGroupChanges(null, groupOf);
    }

    @Override
    protected boolean ignores(Record<Row, Row> record) {
        return record.key() == null || record.value() == EndOfTime.MARKER
                || record.value() != null && record.value().size() == 2 && record.value().get(1) == EndOfTime.MARKER;
    }

    @Override
    protected void deleted(Record<Row, Row> record, Row old) {
        forward(record, groupOf.apply(old), old, null);
    }

    @Override
    protected void upserted(Record<Row, Row> record, Row old, Row now) {
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
