package dev.sluice.runtime.operator;

import dev.sluice.runtime.errors.StepFailedException;
import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.serdes.row.Row;

import java.util.List;

/**
 * Consecutive filters and projections of a stream, run over one record by one processor (Flink's
 * operator chaining; docs/architecture.md, "Chained stateless steps"). Each stage keeps the
 * semantics it has as a processor of its own: a filter drops a record without a value or whose
 * predicate is not TRUE; a projection maps a missing value to a missing value. A stage that throws
 * fails the record under that stage's own processor name ({@link StepFailedException}).
 */
public final class CalcChain {
    /** What {@link #apply} returns for a record a filter dropped (compared by identity). */
    public static final Row DROPPED = new Row(new Object[0]);

    /** One step of the chain, with the processor name it would have alone. */
    public sealed interface Stage permits Filter, Project {
        String processor();

        /** The stage's output value, or {@link #DROPPED}. */
        Row apply(Row value);
    }

    public record Filter(String processor, Evaluator predicate) implements Stage {
        @Override
        public Row apply(Row value) {
            return value != null && Boolean.TRUE.equals(predicate.evaluate(value)) ? value : DROPPED;
        }
    }

    public record Project(String processor, Evaluator[] columns) implements Stage {
        @Override
        public Row apply(Row value) {
            return project(columns, value);
        }
    }

    private final Stage[] stages;

    public CalcChain(List<Stage> stages) {
        this.stages = stages.toArray(Stage[]::new);
    }

    /** Each column evaluated over {@code input}; a missing row stays missing. */
    public static Row project(Evaluator[] columns, Row input) {
        if (input == null) {
            return null;
        }
        Object[] out = new Object[columns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = columns[i].evaluate(input);
        }
        return new Row(out);
    }

    /** The value after every stage, or {@link #DROPPED} when one of the filters dropped it. */
    public Row apply(Row value) {
        Row current = value;
        for (Stage stage : stages) {
            current = run(stage, current);
            if (current == DROPPED) {
                return DROPPED;
            }
        }
        return current;
    }

    private static Row run(Stage stage, Row value) {
        try {
            return stage.apply(value);
        } catch (ClassCastException e) {
            // Kafka Streams makes a ClassCastException in a processor fatal (a serde mismatch): kept so
            throw e;
        } catch (RuntimeException e) {
            throw new StepFailedException(stage.processor(), e);
        }
    }
}
