package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;

/**
 * Writes a table's changelog to a STREAM sink in the full retract form Flink's changelog-json
 * format writes: each record is a row followed by an {@code op} column, {@code +I} for a key's first
 * row, {@code -U} with the row an update replaces then {@code +U} with the new one, and {@code -D}
 * with the whole row a deletion removes. A table's changelog carries only each key's new row, so
 * this keeps each key's last row in {@code store} (as Flink's ChangelogNormalize does) to write the
 * old one. An update to the same row, or a deletion of a key without a row, writes nothing.
 */
public final class RetractChangeRecords extends ContextualFixedKeyProcessor<Row, Row, Row> {
    public static final String INSERT = "+I";
    public static final String UPDATE_BEFORE = "-U";
    public static final String UPDATE_AFTER = "+U";
    public static final String DELETE = "-D";

    private final String storeName;
    private final int width;
    private KeyValueStore<Row, Row> last;

    /** {@code width}: the number of columns of the table's rows. */
    public RetractChangeRecords(String storeName, int width) {
        this.storeName = storeName;
        this.width = width;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
        last = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.key() == null) {
            return;
        }
        Row before = last.get(record.key());
        Row after = record.value();
        if (Objects.equals(before, after)) {
            return;
        }
        if (after == null) {
            last.delete(record.key());
            context().forward(record.withValue(withOp(before, DELETE)));
            return;
        }
        last.put(record.key(), after);
        if (before == null) {
            context().forward(record.withValue(withOp(after, INSERT)));
            return;
        }
        context().forward(record.withValue(withOp(before, UPDATE_BEFORE)));
        context().forward(record.withValue(withOp(after, UPDATE_AFTER)));
    }

    private Row withOp(Row row, String op) {
        Object[] out = new Object[width + 1];
        System.arraycopy(row.toArray(), 0, out, 0, width);
        out[width] = op;
        return new Row(out);
    }
}
