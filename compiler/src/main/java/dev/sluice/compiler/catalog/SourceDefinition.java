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
 */
public record SourceDefinition(String name, Kind kind, Schema schema, List<String> primaryKey,
                               OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs, FormatSpec format,
                               boolean global, List<Expr> computedColumns, NodeLocation location) {
    public enum Kind { STREAM, TABLE }

    public SourceDefinition {
        primaryKey = List.copyOf(primaryKey);
        computedColumns = List.copyOf(computedColumns);
    }

    /** A source whose every column is in its topic. */
    public SourceDefinition(String name, Kind kind, Schema schema, List<String> primaryKey,
                            OptionalInt rowtimeColumn, OptionalLong watermarkDelayMs, FormatSpec format,
                            boolean global, NodeLocation location) {
        this(name, kind, schema, primaryKey, rowtimeColumn, watermarkDelayMs, format, global, List.of(), location);
    }
}
