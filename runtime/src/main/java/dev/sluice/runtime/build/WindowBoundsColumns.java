package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * ksqlDB's WINDOWSTART and WINDOWEND of a windowed source's row: the last two fields of its key
 * (see {@link WindowedKeys#serde}), appended as the row's last two columns. A record without a key
 * has no window (both NULL); a null value (a tombstone) is forwarded as it is.
 */
final class WindowBoundsColumns implements FixedKeyProcessor<Row, Row, Row> {
    private FixedKeyProcessorContext<Row, Row> context;

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row value = record.value();
        if (value == null) {
            context.forward(record);
            return;
        }
        Row key = record.key();
        Object[] values = value.toArray(2);
        if (key != null && key.size() >= 2) {
            values[value.size()] = key.get(key.size() - 2);
            values[value.size() + 1] = key.get(key.size() - 1);
        }
        context.forward(record.withValue(new Row(values)));
    }
}
