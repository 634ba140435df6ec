package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stamps each record written to a ksqlDB-dialect sink declared {@code WITH (TIMESTAMP='col')} with
 * that column's value, as ksqlDB's sink does: the output record's time is the column, not the time
 * the operator upstream gave it (a join's later input, say). A row whose column is NULL, and a
 * tombstone, keep the time they had.
 */
public final class SinkTimestampProcessor implements FixedKeyProcessor<Row, Row, Row> {
    /** The internal sink option the compiler sets: the position of the time column in the sink's row. */
    public static final String OPTION = "sluice.sink_timestamp_column";

    private final int column;
    private FixedKeyProcessorContext<Row, Row> context;

    public SinkTimestampProcessor(int column) {
        this.column = column;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Object ts = record.value() == null ? null : record.value().get(column);
        context.forward(ts instanceof Long t && t >= 0 ? record.withTimestamp(t) : record);
    }
}
