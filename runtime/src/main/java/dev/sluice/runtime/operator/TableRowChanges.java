package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.Record;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a table's upserts and tombstones into change rows re-keyed by a group (a ranking's
 * partition), each carrying the whole row it adds or retracts: the input columns, then a
 * {@code deleted} flag.
 *
 * <p>The old row comes from each key's last row ({@link PreviousRowChanges}). Per input record:
 * <ul>
 *   <li>a new key: the row, to its group;</li>
 *   <li>an update within one group: the new row, which replaces the old one there (rows are
 *       matched by the table key columns);</li>
 *   <li>an update that moves the row to another group: a deletion of the old row to the old group,
 *       then the new row to the new group;</li>
 *   <li>a tombstone: a deletion of the old row to its group; nothing for a key that holds no row.</li>
 * </ul>
 */
public final class TableRowChanges extends PreviousRowChanges {
    private final boolean retractEveryUpdate;

    /** {@code groupOf}: the group key of an input row. */
    public TableRowChanges(String storeName, Function<Row, Row> groupOf) {
        this(storeName, groupOf, false);
    }

    /**
     * {@code retractEveryUpdate}: also retract the old row of an update within one group, for rows
     * that cannot be matched by their key columns (the key is not in the value) and are matched whole.
     */
    public TableRowChanges(String storeName, Function<Row, Row> groupOf, boolean retractEveryUpdate) {
        super(storeName, groupOf);
        this.retractEveryUpdate = retractEveryUpdate;
    }

    @Override
    protected void deleted(Record<Row, Row> record, Row old) {
        forward(record, old, true);
    }

    @Override
    protected void upserted(Record<Row, Row> record, Row old, Row now) {
        if (old != null && (retractEveryUpdate || !Objects.equals(groupOf.apply(old), groupOf.apply(now)))) {
            forward(record, old, true);
        }
        forward(record, now, false);
    }

    private void forward(Record<Row, Row> record, Row row, boolean deleted) {
        context().forward(record.withKey(groupOf.apply(row)).withValue(change(row, deleted)));
    }

    /** The row's columns, then the deleted flag. */
    public static Row change(Row row, boolean deleted) {
        Object[] out = new Object[row.size() + 1];
        System.arraycopy(row.toArray(), 0, out, 0, row.size());
        out[row.size()] = deleted;
        return new Row(out);
    }
}
