package dev.sluice.runtime.operator;

import dev.sluice.runtime.errors.StepFailedException;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A chain of filters and projections followed by the re-key of a RekeyStep, as one processor: the
 * record leaves with its new key and value in one forward (headers and timestamp as they came).
 */
public final class CalcRekeyProcessor implements Processor<Row, Row, Row, Row> {
    private final CalcChain chain;
    private final NewKey newKey;
    private final String keyProcessor;
    private ProcessorContext<Row, Row> context;

    /** {@code keyProcessor}: the name the re-key's own processor has, for its failures. */
    public CalcRekeyProcessor(CalcChain chain, NewKey newKey, String keyProcessor) {
        this.chain = chain;
        this.newKey = newKey;
        this.keyProcessor = keyProcessor;
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        this.context = context;
    }

    @Override
    public void process(Record<Row, Row> record) {
        Row value = chain.apply(record.value());
        if (value == CalcChain.DROPPED) {
            return;
        }
        Row key;
        try {
            key = newKey.of(record.key(), value);
        } catch (ClassCastException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StepFailedException(keyProcessor, e);
        }
        context.forward(record.withKey(key).withValue(value));
    }
}
