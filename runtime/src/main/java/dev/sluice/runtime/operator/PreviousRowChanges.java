package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.Function;

/**
 * A table's changelog says only what a key's row is now; to retract a row from the group it was
 * in, the old row must travel too, as {@code KTable#groupBy} sends its subtractor the old value and
 * Flink's ChangelogNormalize turns upserts into retractions. This keeps each table key's last row
 * in {@code store} and hands the subclass, per input record, the row it replaces: a tombstone
 * becomes {@link #deleted} (nothing for a key that holds no row), an upsert {@link #upserted}
 * (with the old row, or null for a new key). What they forward, and to which group, is theirs.
 *
 * <p>With no {@code store} (null), the table itself sends each update with the row it replaces, as
 * KTable operators do for {@code KTable#groupBy}: each input value is the pair (old row, new row),
 * either null, and no row is kept twice.
 */
abstract class PreviousRowChanges extends ContextualProcessor<Row, Row, Row, Row> {
    private final String storeName;
    /** The group key of an input row. */
    protected final Function<Row, Row> groupOf;
    private KeyValueStore<Row, Row> previous;

    PreviousRowChanges(String storeName, Function<Row, Row> groupOf) {
        this.storeName = storeName;
        this.groupOf = groupOf;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        previous = storeName == null ? null : context.getStateStore(storeName);
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (ignores(record)) {
            return;
        }
        if (previous == null) {
            // no store: the table sent the row each update replaces (see TableGroupChanges#fromOldValues)
            Row old = (Row) record.value().get(0);
            Row now = (Row) record.value().get(1);
            if (now == null) {
                if (old != null) {
                    deleted(record, old);
                }
                return;
            }
            upserted(record, old, now);
            return;
        }
        Row old = previous.get(record.key());
        Row now = record.value();
        if (now == null) {
            if (old != null) {
                previous.delete(record.key());
                deleted(record, old);
            }
            return;
        }
        previous.put(record.key(), now);
        upserted(record, old, now);
    }

    /** Whether a record is not a change of the table (it is dropped before the store is read). */
    protected boolean ignores(Record<Row, Row> record) {
        return false;
    }

    /** The key's row {@code old} was deleted. */
    protected abstract void deleted(Record<Row, Row> record, Row old);

    /** The key's row is {@code now}; it was {@code old}, or null for a new key. */
    protected abstract void upserted(Record<Row, Row> record, Row old, Row now);
}
