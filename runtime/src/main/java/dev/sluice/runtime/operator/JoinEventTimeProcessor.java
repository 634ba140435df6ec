package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Re-stamps a stream-stream join's output with the left row's event time. Kafka Streams stamps a
 * joined row with the later of the two rows' timestamps; Sluice's joined row has the left row's
 * event time (the right row's when a FULL join pads a lone right row), so windows downstream group
 * it as Flink would group by the left time column. A row without a time keeps Kafka's stamp.
 */
public final class JoinEventTimeProcessor implements FixedKeyProcessor<Row, Row, Row> {
    private final int left;
    private final int right;
    private FixedKeyProcessorContext<Row, Row> context;

    /** Column indices of the left and right event times in the joined row; {@code right} -1 if none. */
    public JoinEventTimeProcessor(int left, int right) {
        this.left = left;
        this.right = right;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Object ts = record.value().get(left);
        if (ts == null && right >= 0) {
            ts = record.value().get(right);
        }
        context.forward(ts instanceof Long t ? record.withTimestamp(t) : record);
    }
}
