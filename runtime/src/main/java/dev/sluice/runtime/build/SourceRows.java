package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;

/**
 * A source row put together from a record whose declared columns are split between its key and
 * value (ksqlDB's KEY columns), followed by the computed columns evaluated over the declared ones.
 * Without key columns the computed columns are added by {@link ComputedColumnsDeserializer} instead,
 * where a failing expression is an unreadable record; here it fails in a processor, and the
 * processing exception handler logs, counts and dead-letters it.
 */
record SourceRows(RecordKeyColumns split, Evaluator[] computed) {

    Row assemble(Row key, Row value) {
        Row declared = split.join(key, value);
        if (computed.length == 0) {
            return declared;
        }
        Object[] values = new Object[declared.size() + computed.length];
        for (int i = 0; i < declared.size(); i++) {
            values[i] = declared.get(i);
        }
        Row row = new Row(values);
        for (int i = 0; i < computed.length; i++) {
            values[declared.size() + i] = computed[i].evaluate(row);
        }
        return row;
    }

    /** Event time from the assembled row; one that cannot be assembled keeps the record timestamp. */
    RowtimeExtractor rowtime(int column, String source) {
        return new RowtimeExtractor(column, source, (key, value) -> {
            if (!(value instanceof Row v)) {
                return value;
            }
            try {
                return assemble(key instanceof Row k ? k : null, v);
            } catch (RuntimeException e) {
                return null; // the processor fails on it again and the exception handler reports it
            }
        });
    }

    /** The source side: a null value stays null (a tombstone). */
    FixedKeyProcessor<Row, Row, Row> processor() {
        return new ValueRowMapper((key, value, timestamp) -> assemble(key, value));
    }
}
