package dev.sluice.runtime.operator;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stamps each record written to a ksqlDB-dialect sink declared {@code WITH (TIMESTAMP='col')} with
 * that column's value, as ksqlDB's sink does: the output record's time is the column, not the time
 * the operator upstream gave it (a join's later input, say). A VARCHAR column is read with the
 * sink's {@code TIMESTAMP_FORMAT}. As in ksqlDB, a row whose column gives no time (NULL, negative,
 * text that does not match) is not written: it is dropped as every other record that does not make
 * it (counted, logged, dead-lettered with reason {@code no_time}). A tombstone takes the current
 * stream time.
 */
public final class SinkTimestampProcessor implements FixedKeyProcessor<Row, Row, Row> {
    /** The internal sink option the compiler sets: the position of the time column in the sink's row. */
    public static final String OPTION = "sluice.sink_timestamp_column";
    /** The sink's 'timestamp_format', for a VARCHAR time column. */
    public static final String FORMAT_OPTION = "timestamp_format";

    private final int column;
    private final String textFormat;
    private FixedKeyProcessorContext<Row, Row> context;

    public SinkTimestampProcessor(int column) {
        this(column, null);
    }

    public SinkTimestampProcessor(int column, String textFormat) {
        this.column = column;
        this.textFormat = textFormat;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        if (record.value() == null) {
            context.forward(record.withTimestamp(Math.max(0, context.currentStreamTimeMs())));
            return;
        }
        long time = timeOf(record.value().get(column));
        if (time < 0) {
            throw new DroppedRecordException(DropReason.NO_TIME, "row not written: its time column holds "
                    + record.value().get(column) + ", which is no record time"
                    + (textFormat == null ? "" : " (format '" + textFormat + "')"));
        }
        context.forward(record.withTimestamp(time));
    }

    private long timeOf(Object value) {
        if (value instanceof Long t) {
            return t;
        }
        if (value instanceof String text && textFormat != null) {
            try {
                return dev.sluice.runtime.function.scalar.TimestampText.parse(text, textFormat);
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }
}
