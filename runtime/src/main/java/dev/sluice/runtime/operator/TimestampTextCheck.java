package dev.sluice.runtime.operator;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.function.scalar.TimestampText;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * A ksqlDB source whose event time is a VARCHAR column read with its {@code TIMESTAMP_FORMAT}: a row
 * whose text does not match gets no time, and ksqlDB skips it. Here it is dropped as every other
 * record that does not make it (counted, logged with topic-partition@offset, dead-lettered with
 * reason {@code no_time}). The timestamp extractor lets such a record through with its Kafka
 * timestamp so that it reaches this check, the first processor after the source's row is whole; a
 * NULL column keeps the Kafka timestamp, as for any source.
 */
public final class TimestampTextCheck implements FixedKeyProcessor<Row, Row, Row> {
    private final int column;
    private final String pattern;
    private FixedKeyProcessorContext<Row, Row> context;

    public TimestampTextCheck(int column, String pattern) {
        this.column = column;
        this.pattern = pattern;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.value() != null && record.value().get(column) instanceof String text) {
            try {
                TimestampText.parse(text, pattern);
            } catch (RuntimeException e) {
                throw new DroppedRecordException(DropReason.NO_TIME,
                        "event time '" + text + "' does not match the source's timestamp_format '" + pattern + "'");
            }
        }
        context.forward(record);
    }
}
