package dev.sluice.runtime.plan;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reads a topic as a stream. {@code rowtimeColumn} is the value column holding event time (the
 * record timestamp is used when absent). {@code computedColumns} (Flink's {@code name AS expr} in
 * the DDL) follow the declared columns and are evaluated over them as each record is read, so event
 * time may come from one of them. With {@code appendRowtime} the record timestamp is added as a last
 * {@code ROWTIME} column (ksqlDB's pseudo column), for queries that read it.
 * {@code recordKeyColumns} are the positions of declared columns read from the Kafka record key
 * (ksqlDB's KEY columns); the value holds the other declared columns.
 */
public record SourceStep(String name, FormatSpec format, Schema keySchema, Schema schema,
                         List<Expr> computedColumns, OptionalInt rowtimeColumn, boolean appendRowtime,
                         List<Integer> recordKeyColumns) implements Step {
    public SourceStep {
        computedColumns = List.copyOf(computedColumns);
        recordKeyColumns = List.copyOf(recordKeyColumns);
    }

    /** A source whose every column is read from the topic's value. */
    public SourceStep(String name, FormatSpec format, Schema keySchema, Schema schema, OptionalInt rowtimeColumn,
                      boolean appendRowtime) {
        this(name, format, keySchema, schema, List.of(), rowtimeColumn, appendRowtime, List.of());
    }

    /** A source with computed columns and no column in the record key. */
    public SourceStep(String name, FormatSpec format, Schema keySchema, Schema schema, List<Expr> computedColumns,
                      OptionalInt rowtimeColumn, boolean appendRowtime) {
        this(name, format, keySchema, schema, computedColumns, rowtimeColumn, appendRowtime, List.of());
    }

    @Override
    public Shape shape() {
        return Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of();
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        Inputs.none(this, inputs);
        return this;
    }

    @Override
    public Step withName(String name) {
        return new SourceStep(name, format, keySchema, schema, computedColumns, rowtimeColumn, appendRowtime,
                recordKeyColumns);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitSource(this);
    }
}
