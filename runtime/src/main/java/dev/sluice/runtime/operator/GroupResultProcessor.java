package dev.sluice.runtime.operator;

import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.util.function.BiFunction;

/**
 * A non-windowed GROUP BY's result rows from its aggregate's states (read from the aggregate
 * KTable's {@code toStream}): a state that is empty or gone (a group whose rows were all
 * retracted) is the deletion of the group's row, and a state whose row equals the row the group
 * already has is not forwarded when {@code dropUnchanged} (Flink's GroupAggFunction emits nothing
 * then; ksqlDB emits the row again). The rows go to a table materialized in {@code resultStore},
 * which this processor reads for the previous row: Kafka's KTable operators do not show it.
 */
public final class GroupResultProcessor extends ContextualFixedKeyProcessor<Row, AggregateState, Row> {
    /** The group's row function of one task, made from its context (which reaches the stores it reads). */
    @FunctionalInterface
    public interface RowFunction {
        BiFunction<Row, AggregateState, Row> of(FixedKeyProcessorContext<Row, Row> context);
    }

    private final RowFunction rowFunction;
    private BiFunction<Row, AggregateState, Row> toRow;
    private final String resultStore;
    private final boolean dropUnchanged;
    private final boolean emptiedGroupIsRow;
    private ResultTable table;

    /** {@code toRow}: the group's row from its key and a non-empty state. */
    public GroupResultProcessor(BiFunction<Row, AggregateState, Row> toRow, String resultStore,
                                boolean dropUnchanged) {
        this(toRow, resultStore, dropUnchanged, false);
    }

    /**
     * {@code emptiedGroupIsRow}: a group whose rows were all retracted keeps a row, the aggregate over
     * no rows (ksqlDB's dialect: ksqlDB never deletes a group, its COUNT becomes 0).
     */
    public GroupResultProcessor(BiFunction<Row, AggregateState, Row> toRow, String resultStore,
                                boolean dropUnchanged, boolean emptiedGroupIsRow) {
        this(context -> toRow, resultStore, dropUnchanged, emptiedGroupIsRow);
    }

    /** As above, the row function made in {@link #init} from the processor's context. */
    public GroupResultProcessor(RowFunction toRow, String resultStore, boolean dropUnchanged,
                                boolean emptiedGroupIsRow) {
        this.rowFunction = toRow;
        this.resultStore = resultStore;
        this.dropUnchanged = dropUnchanged;
        this.emptiedGroupIsRow = emptiedGroupIsRow;
    }

    @Override
    public void init(FixedKeyProcessorContext<Row, Row> context) {
        super.init(context);
        table = new ResultTable(context.getStateStore(resultStore));
        toRow = rowFunction.of(context);
    }

    @Override
    public void process(FixedKeyRecord<Row, AggregateState> record) {
        AggregateState state = record.value();
        Row next = state == null || (state.isEmpty() && !emptiedGroupIsRow) ? null : toRow.apply(record.key(), state);
        if (table.changesNothing(record.key(), next, dropUnchanged)) {
            return;
        }
        context().forward(record.withValue(next));
    }
}
