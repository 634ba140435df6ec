package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;

/**
 * Writes a table's changelog as plain records for a STREAM sink (CREATE STREAM ... AS over an
 * updating result): each record is the row followed by an {@code op} column, Flink's upsert
 * changelog in its own words: {@code +U} when the key's row is now this one (inserted or replaced),
 * {@code -D} when the key's row is deleted. A tombstone becomes a row of the key's columns (where
 * the row carries them) and NULL elsewhere, so nothing is lost on an append-only topic. This is
 * what Flink's changelog formats ({@code debezium-json}, {@code canal-json}) do for an append-only
 * Kafka topic: the operation travels in the record.
 */
public final class ChangeRecordMapper implements ValueMapperWithKey<Row, Row, Row> {
    public static final String OP_COLUMN = dev.sluice.runtime.plan.QueryPlan.OP_COLUMN;
    public static final String UPSERT = "+U";
    public static final String DELETE = "-D";

    private final int width;
    private final int[] keyColumnInValue;

    /**
     * @param width            the number of columns of the table's rows
     * @param keyColumnInValue for each key column, its position in the row, or -1 if the row lacks it
     */
    public ChangeRecordMapper(int width, int[] keyColumnInValue) {
        this.width = width;
        this.keyColumnInValue = keyColumnInValue.clone();
    }

    @Override
    public Row apply(Row key, Row value) {
        Object[] out = new Object[width + 1];
        if (value != null) {
            System.arraycopy(value.toArray(), 0, out, 0, width);
            out[width] = UPSERT;
            return new Row(out);
        }
        for (int k = 0; k < keyColumnInValue.length && key != null; k++) {
            if (keyColumnInValue[k] >= 0) {
                out[keyColumnInValue[k]] = key.get(k);
            }
        }
        out[width] = DELETE;
        return new Row(out);
    }
}
