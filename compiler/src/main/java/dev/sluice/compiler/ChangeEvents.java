package dev.sluice.compiler;

import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;

import java.util.List;

/**
 * The row shape of a CDC stream, as seed 001 reads it: {@code operation} (INSERT, UPDATE, DELETE;
 * a snapshot row is an INSERT), the row {@code before} and {@code after} the change, and
 * Debezium's {@code source} block ({@code source.ts_ms} is the commit time in the database).
 */
final class ChangeEvents {
    private ChangeEvents() {
    }

    static Schema schema(Schema table) {
        StructType row = new StructType(table.columns());
        StructType source = new StructType(List.of(
                new Column("version", ScalarType.VARCHAR), new Column("connector", ScalarType.VARCHAR),
                new Column("name", ScalarType.VARCHAR), new Column("ts_ms", ScalarType.BIGINT),
                new Column("snapshot", ScalarType.VARCHAR), new Column("db", ScalarType.VARCHAR),
                new Column("schema", ScalarType.VARCHAR), new Column("table", ScalarType.VARCHAR),
                new Column("txId", ScalarType.BIGINT), new Column("lsn", ScalarType.BIGINT)));
        return new Schema(List.of(new Column("operation", ScalarType.VARCHAR), new Column("before", row),
                new Column("after", row), new Column("source", source), new Column("ts_ms", ScalarType.BIGINT)));
    }
}
