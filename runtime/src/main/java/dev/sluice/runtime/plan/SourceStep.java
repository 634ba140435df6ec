package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reads a topic as a stream. {@code rowtimeColumn} is the value column holding event time (the
 * record timestamp is used when absent). With {@code appendRowtime} the record timestamp is added as
 * a last {@code ROWTIME} column (ksqlDB's pseudo column), for queries that read it.
 * {@code recordKeyColumns} are the schema positions read from the Kafka record key (ksqlDB's KEY
 * columns); the value holds the other columns.
 */
public record SourceStep(String name, FormatSpec format, Schema keySchema, Schema schema,
                         OptionalInt rowtimeColumn, boolean appendRowtime, java.util.List<Integer> recordKeyColumns)
        implements Step {
    public SourceStep {
        recordKeyColumns = java.util.List.copyOf(recordKeyColumns);
    }

    public SourceStep(String name, FormatSpec format, Schema keySchema, Schema schema, OptionalInt rowtimeColumn,
                      boolean appendRowtime) {
        this(name, format, keySchema, schema, rowtimeColumn, appendRowtime, java.util.List.of());
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
        return new SourceStep(name, format, keySchema, schema, rowtimeColumn, appendRowtime);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitSource(this);
    }
}
