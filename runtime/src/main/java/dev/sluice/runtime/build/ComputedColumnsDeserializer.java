package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the topic's columns, then appends the computed columns evaluated over them. Running in the
 * deserializer means the timestamp extractor already sees a computed event-time column, and a
 * record whose expression fails goes to the deserialization handler (logged, counted,
 * dead-lettered) like any unreadable record.
 */
final class ComputedColumnsDeserializer implements Deserializer<Row> {
    private final Deserializer<Row> physical;
    private final Evaluator[] computed;

    ComputedColumnsDeserializer(Deserializer<Row> physical, Evaluator[] computed) {
        this.physical = physical;
        this.computed = computed;
    }

    @Override
    public Row deserialize(String topic, byte[] data) {
        return withComputed(physical.deserialize(topic, data));
    }

    @Override
    public Row deserialize(String topic, Headers headers, byte[] data) {
        return withComputed(physical.deserialize(topic, headers, data));
    }

    private Row withComputed(Row row) {
        if (row == null) {
            return null;
        }
        Object[] values = new Object[row.size() + computed.length];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        Row partial = new Row(values);
        for (int i = 0; i < computed.length; i++) {
            try {
                values[row.size() + i] = computed[i].evaluate(partial);
            } catch (RuntimeException e) {
                throw new SerializationException("computed column " + (i + 1) + " failed: " + e.getMessage(), e);
            }
        }
        return partial;
    }

    @Override
    public void close() {
        physical.close();
    }
}
