package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a replay printed: the column names (in SELECT order, with {@code _sink} first when rows come
 * from several sinks) and the rows as JSON objects in output order, plus counts of records that
 * were skipped as bad and of records dropped as late (both went to the log, the metrics and, if
 * configured, the dead-letter topic). {@code records} are the output records as written, in order
 * (for {@code --format records}).
 */
public record ReplayResult(List<String> columns, List<ObjectNode> rows, long badRecords, long lateRecords,
                           List<OutputRecord> records) {
    public ReplayResult {
        records = List.copyOf(records);
    }

    public ReplayResult(List<String> columns, List<ObjectNode> rows, long badRecords, long lateRecords) {
        this(columns, rows, badRecords, lateRecords, List.of());
    }
}
