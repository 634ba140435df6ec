package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * A processor that replaces each value row by a row computed from the record (key, value,
 * timestamp) and forwards a null value (a tombstone) as it is, so that deletes reach the table or
 * join downstream. Used where a source puts its rows together: key columns, ROWTIME.
 */
final class ValueRowMapper implements FixedKeyProcessor<Row, Row, Row> {

    /** The new value of a record whose value is not null. */
    @FunctionalInterface
    interface Mapping {
        Row apply(Row key, Row value, long timestamp);
    }

    private final Mapping mapping;
    private FixedKeyProcessorContext<Row, Row> context;

    ValueRowMapper(Mapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.value() == null) {
            context.forward(record);
            return;
        }
        context.forward(record.withValue(mapping.apply(record.key(), record.value(), record.timestamp())));
    }
}
