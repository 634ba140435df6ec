package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stamps each record with the wall clock it is processed at ({@code currentSystemTimeMs()}), so
 * that the helper processors of a processing-time window ({@link ProcessingTimeWindowHelpers})
 * and its aggregate, which read the record's timestamp, all place it in the same windows.
 */
public final class WallClockStamp implements FixedKeyProcessor<Row, Row, Row> {
    private FixedKeyProcessorContext<Row, Row> context;

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        context.forward(record.withTimestamp(context.currentSystemTimeMs()));
    }
}
