package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** A chain of filters and projections as one processor: one forward per record that passes. */
public final class CalcValuesProcessor implements FixedKeyProcessor<Row, Row, Row> {
    private final CalcChain chain;
    private FixedKeyProcessorContext<Row, Row> context;

    public CalcValuesProcessor(CalcChain chain) {
        this.chain = chain;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<Row, Row> record) {
        Row value = chain.apply(record.value());
        if (value == CalcChain.DROPPED) {
            return;
        }
        context.forward(value == record.value() ? record : record.withValue(value));
    }
}
