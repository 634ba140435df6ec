package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row printed by a run: the query it came from, the row as JSON (the same shape replay prints),
 * whether it deletes the key's row (a table's tombstone), and where it was read.
 */
public record OutputRow(String query, ObjectNode row, boolean delete, String topic, int partition, long offset,
                        long timestamp, ObjectNode record) {
    /** {@code record}: the record as {@code --format records} prints it (key, window, timestamp, value). */
    public OutputRow(String query, ObjectNode row, boolean delete, String topic, int partition, long offset,
                     long timestamp) {
        this(query, row, delete, topic, partition, offset, timestamp, null);
    }
}
