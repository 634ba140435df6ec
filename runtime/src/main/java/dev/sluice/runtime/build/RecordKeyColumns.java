package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns split between the Kafka record key and its value, as ksqlDB's KEY columns are: a source
 * reads the key columns from the key and the others from the value, and puts them back into one row
 * in declaration order; a sink does the reverse.
 */
public record RecordKeyColumns(Schema full, List<Integer> keyPositions) {
    public RecordKeyColumns {
        keyPositions = List.copyOf(keyPositions);
    }

    public boolean isEmpty() {
        return keyPositions.isEmpty();
    }

    public Schema keySchema() {
        return new Schema(keyPositions.stream().map(full::column).toList());
    }

    public Schema valueSchema() {
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < full.size(); i++) {
            if (!keyPositions.contains(i)) {
                out.add(full.column(i));
            }
        }
        return new Schema(out);
    }

    /** Where column {@code position} of the full row sits in the value row (-1: it is a key column). */
    public int valuePosition(int position) {
        if (keyPositions.contains(position)) {
            return -1;
        }
        int shift = 0;
        for (int k : keyPositions) {
            if (k < position) {
                shift++;
            }
        }
        return position - shift;
    }

    public Row join(Row key, Row value) {
        Object[] out = new Object[full.size()];
        int v = 0;
        for (int i = 0; i < out.length; i++) {
            int k = keyPositions.indexOf(i);
            if (k >= 0) {
                out[i] = key == null || key.size() <= k ? null : key.get(k);
            } else {
                out[i] = value.get(v++);
            }
        }
        return new Row(out);
    }

    public Row keyOf(Row row) {
        Object[] out = new Object[keyPositions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.get(keyPositions.get(i));
        }
        return new Row(out);
    }

    public Row valueOf(Row row) {
        Object[] out = new Object[full.size() - keyPositions.size()];
        int v = 0;
        for (int i = 0; i < full.size(); i++) {
            if (!keyPositions.contains(i)) {
                out[v++] = row.get(i);
            }
        }
        return new Row(out);
    }

    /** The source side: key columns from the record key into the row. A null value stays null (a tombstone). */
    FixedKeyProcessor<Row, Row, Row> joiner() {
        return new ValueRowMapper((key, value, timestamp) -> join(key, value));
    }
}
