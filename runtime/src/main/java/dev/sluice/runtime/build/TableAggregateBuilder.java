package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.operator.AggregateState;
import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.operator.TableAggregateProcessor;
import dev.sluice.runtime.operator.SetEmissions;
import dev.sluice.runtime.operator.TableElements;
import dev.sluice.runtime.operator.TableGroupChanges;
import dev.sluice.runtime.operator.ValueCounts;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.internals.SluiceGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * GROUP BY over a table (a changelog), built from processors rather than {@code KTable#groupBy}
 * (whose adder and subtractor reach no store):
 * <ol>
 *   <li>{@code <step>-groupby-changes} ({@link TableGroupChanges}) turns upserts and tombstones
 *       into (old row, new row) changes keyed by group; the old row comes with the update from a
 *       materialized input table, else from {@code <step>-previous-store} (each table key's last row);</li>
 *   <li>they are re-keyed through {@code <step>-groupby-repartition}, the topic
 *       {@code KTable#groupBy} used;</li>
 *   <li>{@code <step>-aggregate} ({@link TableAggregateProcessor}) retracts the old row and adds
 *       the new one to the group's state in {@code <step>-store}; MIN/MAX and COUNT/SUM/AVG(DISTINCT)
 *       keep their values in {@code <step>-values-store} ({@link ValueCounts}), keyed by
 *       (group, call, value) → count, so an update is O(log n) in the group's size; ARRAY_AGG
 *       elements and FIRST/LAST candidates are in {@code <step>-elements-store}
 *       ({@link TableElements}), the ARRAY_AGG rows read back from it by the result processor;</li>
 *   <li>the states become the result table as every GROUP BY's do
 *       ({@link AggregateBuilder#resultRows}).</li>
 * </ol>
 * A group left without rows is deleted from the store and downstream (a tombstone), except in
 * ksqlDB's dialect, which keeps it with the aggregate over no rows (a COUNT of 0).
 */
final class TableAggregateBuilder {
    private TableAggregateBuilder() {
    }

    /**
     * How many COLLECT_SET / HISTOGRAM values a task holds of the rows it emitted ({@link SetEmissions}),
     * as ARRAY_AGG's prefixes of a GROUP BY without window: a group's next row is then made from
     * memory, not by a range scan of its whole set.
     */
    private static final long EMITTED_SET_VALUES = 1 << 18;

    /** {@code keysDropped}: some ARRAY_AGG runs without its constant ORDER BY keys (state format 21). */
    static Built build(AggregateStep step, Built.Table input, BuildContext ctx, boolean keysDropped) {
        Aggregation aggregation = Aggregation.overChangelogWithValueStore(step.calls(),
                step.rowtimeColumn().orElse(-1), ctx.functions, ctx.compiler);
        if (keysDropped) {
            aggregation.tagConstantListsBeside();
        }
        boolean elementsInStore = TableElements.applies(step);
        if (elementsInStore) {
            TableElements.keepElementsInStore(step.calls(), aggregation);
        }
        int keyWidth = step.groupKeys().size();
        Schema in = step.input().schema();
        Serde<Row> keySerde = ctx.serdes.internal(new Schema(step.keySchema().columns().subList(0, keyWidth)));
        Evaluator[] key = ctx.compiler.compileAll(step.groupKeys());
        boolean keepEmptied = step.unchangedUpdates() == AggregateStep.UnchangedUpdates.EMIT;

        KStream<Row, Row> changes = groupChanges(step, input, key, ctx);
        KStream<Row, Row> grouped = changes.repartition(Repartitioned.<Row, Row>as(step.name() + "-groupby")
                .withKeySerde(keySerde).withValueSerde(ctx.serdes.internal(changeSchema(in))));

        String stateStore = step.name() + "-store";
        ctx.streams.addStateStore(ctx.options.stateBackend().timestampedKeyValue(
                stateStore, keySerde, aggregation.serde()).withCachingEnabled());
        List<String> stores = new ArrayList<>(List.of(stateStore));
        String valuesStore = null;
        if (aggregation.keepsValuesInStore()) {
            valuesStore = ValueCounts.storeName(step.name());
            ctx.streams.addStateStore(ValueCounts.store(step.name(), ctx.options.stateBackend()));
            stores.add(valuesStore);
        }
        String elementsStore = elementsInStore ? TableElements.storeName(step.name()) : null;
        if (elementsInStore) {
            ctx.streams.addStateStore(TableElements.store(step.name(), ctx.options.stateBackend()));
            stores.add(elementsStore);
        }
        String values = valuesStore;
        int rowtime = step.rowtimeColumn().orElse(-1);
        // the sets each task emitted last, kept up to date by its aggregate processor for its result processor
        SetEmissions.PerTask emitted = new SetEmissions.PerTask(EMITTED_SET_VALUES);
        KStream<Row, AggregateState> states = grouped.processValues(
                () -> new TableAggregateProcessor(aggregation, stateStore, values, keySerde.serializer(), keepEmptied,
                        elementsStore, store -> TableElements.of(store, step.name(), step.calls(), aggregation,
                                keySerde.serializer(), rowtime).withEmissions(emitted)),
                Named.as(step.name() + "-aggregate"), stores.toArray(String[]::new));
        // an ARRAY_AGG row lists its group's elements from the store, read when the row is made
        Built.Table result = AggregateBuilder.resultRows(step, states, context -> {
            TableElements elements = elementsInStore ? TableElements.of(context.getStateStore(elementsStore),
                    step.name(), step.calls(), aggregation, keySerde.serializer(), rowtime).withEmissions(emitted) : null;
            if (elements != null) {
                elements.openEmissions(context.taskId(), false);
            }
            return (k, state) -> {
                Object[] out = aggregation.results(state, keyWidth);
                if (elements != null) {
                    elements.fill(k, out, keyWidth);
                }
                AggregateBuilder.copyKey(k, out);
                return new Row(out);
            };
        }, keySerde, ctx, keepEmptied, elementsInStore ? new String[] {elementsStore} : new String[0]);
        return new Built.Table(EmptyInputRow.addTo(result.table(), step, aggregation, ctx));
    }

    /**
     * The input's updates as changes of groups ({@link TableGroupChanges}). Each needs the row it
     * replaces: when the input table is materialized (an aggregate's or a source's store, through
     * projections and filters), the table sends it, read from that store before the update, as
     * {@code KTable#groupBy} receives it; otherwise {@code <step>-previous-store} keeps each key's
     * last row. Either way the same rows: the store would hold what the table's store holds.
     */
    private static KStream<Row, Row> groupChanges(AggregateStep step, Built.Table input, Evaluator[] key,
                                                  BuildContext ctx) {
        java.util.function.Function<Row, Row> groupOf = row -> dev.sluice.runtime.operator.CalcChain.project(key, row);
        var withOldRows = SluiceGraph.changes(input.table(), step.name() + "-changes", TableGroupChanges::pair);
        if (withOldRows.isPresent()) {
            return withOldRows.get().process(() -> TableGroupChanges.fromOldValues(groupOf),
                    Named.as(step.name() + "-groupby-changes"));
        }
        String previous = step.name() + "-previous-store";
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(previous,
                ctx.serdes.internal(step.input().keySchema()), ctx.serdes.internal(step.input().schema()))
                .withCachingEnabled());
        return input.table().toStream(Named.as(step.name() + "-changes"))
                .process(() -> new TableGroupChanges(previous, groupOf), Named.as(step.name() + "-groupby-changes"),
                        previous);
    }

    /** {@link TableGroupChanges#pair}: the row a change retracts and the row it adds, each nullable. */
    private static Schema changeSchema(Schema in) {
        StructType row = new StructType(in.columns());
        return new Schema(List.of(new Column("change$old", row, true), new Column("change$new", row, true)));
    }
}
