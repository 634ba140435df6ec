package dev.sluice.compiler.catalog;

import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A stream or table the script can read: declared by CREATE STREAM|TABLE, or produced by a
 * persistent query. {@code rowtimeColumn} holds event time; {@code watermarkDelayMs} is the
 * bounded out-of-orderness from {@code WATERMARK FOR ... AS ts - INTERVAL ...} (empty: none).
 * {@code computedColumns} are the last columns of {@code schema}: not in the topic, computed from
 * the columns before them as each record is read (Flink's {@code name AS expression}).
 * {@code recordKeyColumns} are read from (and written to) the Kafka record key rather than the value:
 * ksqlDB's {@code KEY} columns; empty means every column is in the value.
 */
public record SourceDefinition(String name, Kind kind, Schema schema, List<String> primaryKey,
                               OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs, FormatSpec format,
                               boolean global, List<Expr> computedColumns, NodeLocation location,
                               List<String> recordKeyColumns) {
    public enum Kind { STREAM, TABLE }

    public SourceDefinition {
        primaryKey = List.copyOf(primaryKey);
        computedColumns = List.copyOf(computedColumns);
        recordKeyColumns = List.copyOf(recordKeyColumns);
    }

    /** A source whose every column is in its topic's value. */
    public SourceDefinition(String name, Kind kind, Schema schema, List<String> primaryKey,
                            OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs, FormatSpec format,
                            boolean global, NodeLocation location) {
        this(name, kind, schema, primaryKey, rowtimeColumn, watermarkDelayMs, format, global, List.of(), location);
    }

    /** A source with computed columns and no column in the record key. */
    public SourceDefinition(String name, Kind kind, Schema schema, List<String> primaryKey,
                            OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs, FormatSpec format,
                            boolean global, List<Expr> computedColumns, NodeLocation location) {
        this(name, kind, schema, primaryKey, rowtimeColumn, watermarkDelayMs, format, global, computedColumns,
                location, List.of());
    }

    /** Positions of {@link #recordKeyColumns} in the schema. */
    public List<Integer> recordKeyIndexes() {
        return recordKeyColumns.stream().map(c -> schema.indexOf(c).orElseThrow()).toList();
    }
}
