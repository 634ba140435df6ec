package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.List;
import java.util.Optional;

/**
 * ksqlDB's pseudo columns of a stream source, appended after its declared and computed columns:
 * {@code ROWTIME} (the record timestamp) alone, or {@code ROWTIME, ROWPARTITION, ROWOFFSET} (the
 * partition and offset the record was read from) when a query reads the position. A null value (a
 * tombstone) is forwarded as it is.
 */
final class PseudoColumns implements FixedKeyProcessor<Row, Row, Row> {
    static final List<String> WITH_POSITION = List.of("ROWTIME", "ROWPARTITION", "ROWOFFSET");

    private final boolean position;
    private FixedKeyProcessorContext<Row, Row> context;

    private PseudoColumns(boolean position) {
        this.position = position;
    }

    /** How many pseudo columns end the schema of a source that appends them: 3 with the position, else 1. */
    static int count(List<Column> columns) {
        int n = columns.size();
        if (n >= 3 && columns.subList(n - 3, n).stream().map(Column::name).toList().equals(WITH_POSITION)) {
            return 3;
        }
        return 1;
    }

    static PseudoColumns of(int count) {
        return new PseudoColumns(count == 3);
    }

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
        int extra = position ? 3 : 1;
        Object[] values = value.toArray(extra);
        values[value.size()] = record.timestamp();
        if (position) {
            Optional<RecordMetadata> meta = context.recordMetadata();
            values[value.size() + 1] = meta.map(RecordMetadata::partition).orElse(null);
            values[value.size() + 2] = meta.map(RecordMetadata::offset).orElse(null);
        }
        context.forward(record.withValue(new Row(values)));
    }
}
