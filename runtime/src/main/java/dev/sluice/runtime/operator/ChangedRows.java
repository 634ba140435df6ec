package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The rows a windowed aggregate with EMIT CHANGES forwards to its table, without those that change
 * nothing: a row equal to the one its key (group and window) already has, when {@code dropUnchanged}
 * (Flink's rule), and a deletion of a key that has no row. It reads {@code tableStore}, the table the
 * rows go to just after it, in the same sub-topology, so the row there is the last one forwarded.
 */
public final class ChangedRows extends ContextualFixedKeyProcessor<Row, Row, Row> {
    private final String tableStore;
    private final boolean dropUnchanged;
    private ResultTable table;

    public ChangedRows(String tableStore, boolean dropUnchanged) {
        this.tableStore = tableStore;
        this.dropUnchanged = dropUnchanged;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
        table = new ResultTable(context.getStateStore(tableStore));
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (!table.changesNothing(record.key(), record.value(), dropUnchanged)) {
            context().forward(record);
        }
    }
}
