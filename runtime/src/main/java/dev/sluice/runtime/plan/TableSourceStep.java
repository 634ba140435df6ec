package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reads a topic as a table keyed by its primary key. {@code keyColumns} are the value columns that
 * make up the primary key: the table is re-keyed from the value when the topic's key does not
 * carry them (e.g. JSON records without keys). {@code global} builds a GlobalKTable.
 * {@code recordKeyColumns}: as in {@link SourceStep}, the columns the record key holds (ksqlDB).
 * With {@code appendRowtime} the schema ends with ksqlDB's pseudo columns ({@code ROWTIME}, and
 * {@code ROWPARTITION, ROWOFFSET} when read), filled from the record that last set each row (a join
 * reads a table's {@code ROWTIME} from its stored row).
 */
public record TableSourceStep(String name, FormatSpec format, Schema keySchema, Schema schema,
                              List<Integer> keyColumns, OptionalInt rowtimeColumn, boolean global,
                              List<Integer> recordKeyColumns, boolean appendRowtime)
        implements Step {
    public TableSourceStep {
        keyColumns = List.copyOf(keyColumns);
        recordKeyColumns = List.copyOf(recordKeyColumns);
    }

    public TableSourceStep(String name, FormatSpec format, Schema keySchema, Schema schema, List<Integer> keyColumns,
                           OptionalInt rowtimeColumn, boolean global) {
        this(name, format, keySchema, schema, keyColumns, rowtimeColumn, global, List.of(), false);
    }

    @Override
    public Shape shape() {
        return Shape.TABLE;
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
        return new TableSourceStep(name, format, keySchema, schema, keyColumns, rowtimeColumn, global, recordKeyColumns,
                appendRowtime);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitTableSource(this);
    }
}
