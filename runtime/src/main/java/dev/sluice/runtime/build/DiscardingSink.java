package dev.sluice.runtime.build;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The end of a query whose sink is Flink's {@code 'connector' = 'blackhole'} (rows are dropped) or
 * {@code 'print'} (rows go to standard output as {@code query> +I[v1, v2]}, Flink's print format).
 * Nothing is written to Kafka.
 */
final class DiscardingSink implements Processor<Row, Row, Void, Void> {
    private final String printPrefix;

    /** {@code printPrefix} null: discard; otherwise print each row after it. */
    DiscardingSink(String printPrefix) {
        this.printPrefix = printPrefix;
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (printPrefix != null) {
            Row value = record.value();
            StringBuilder line = new StringBuilder(printPrefix).append("> ").append(value == null ? "-D[" : "+I[");
            Row shown = value == null ? record.key() : value;
            for (int i = 0; shown != null && i < shown.size(); i++) {
                line.append(i == 0 ? "" : ", ").append(shown.get(i));
            }
            System.out.println(line.append(']'));
        }
    }
}
