package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.RankProcessor;
import dev.sluice.runtime.operator.Ranking;
import dev.sluice.runtime.operator.TableRowChanges;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.internals.BlindWriteTableSource;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.internals.SluiceGraph;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-N per partition (see {@link RankStep}): wires the operators. Input records become change
 * rows (the input columns plus a deleted flag; over a table {@link TableRowChanges} with
 * {@code <step>-previous-store}), re-keyed by the partition columns through
 * {@code <step>-repartition}; {@link RankProcessor} keeps each partition's rows in
 * {@code <step>-store} and emits the positions whose row or rank changed, into the output table
 * {@code <step>-table-store}: behind {@code <step>-to-table-repartition} (the DSL's topic after a key
 * change), or in the same task when the plan says so ({@link RankStep#tableInTask}). A stream already
 * in the tasks of its partitions skips {@code <step>-repartition} ({@link RankStep#rankedInTask}).
 */
final class RankBuilder {
    private RankBuilder() {
    }

    static Built build(RankStep step, Built input, BuildContext ctx) {
        Schema in = step.input().schema();
        Schema change = in.append(new Column("rank$deleted", ScalarType.BOOLEAN));
        List<Column> partitionCols = new ArrayList<>();
        for (int p : step.partitionColumns()) {
            partitionCols.add(in.column(p));
        }
        Schema partitionSchema = new Schema(partitionCols);
        KStream<Row, Row> changes;
        int[] identity = step.inputKeyColumns().stream().mapToInt(Integer::intValue).toArray();
        if (input instanceof Built.Table t) {
            // A row may move between partitions: the old row travels to its old partition as a
            // deletion (see TableRowChanges), so that its old partition can rank without it.
            String previous = step.name() + "-previous-store";
            ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(previous,
                    ctx.serdes.internal(step.input().keySchema()), ctx.serdes.internal(in)));
            changes = t.table().toStream(Named.as(step.name() + "-changes"))
                    .process(() -> new TableRowChanges(previous, row -> partitionOf(step, row), identity.length == 0),
                            Named.as(step.name() + "-as-changes"), previous);
        } else {
            changes = input.asStream(step.name()).filter((k, v) -> v != null, Named.as(step.name() + "-not-null"))
                    .mapValues(v -> TableRowChanges.change(v, false), Named.as(step.name() + "-as-changes"))
                    .selectKey((k, v) -> partitionOf(step, v), Named.as(step.name() + "-select-key"));
        }
        // ranked in the input's task when every partition's rows are there already (the plan checked it,
        // see RankStep#rankedInTask): the re-key above stays, the topic goes
        KStream<Row, Row> partitioned = step.rankedInTask() && !(input instanceof Built.Table) ? changes
                : changes.repartition(Repartitioned.<Row, Row>as(step.name())
                        .withKeySerde(ctx.serdes.internal(partitionSchema))
                        .withValueSerde(ctx.serdes.internal(change)));
        List<dev.sluice.runtime.function.AccumulatorFactory> running = new ArrayList<>();
        for (dev.sluice.runtime.plan.AggregateCall call : step.running()) {
            running.add(ctx.functions.aggregate(call.function())
                    .orElseThrow(() -> new IllegalStateException("no aggregate " + call.function()))
                    .implement(call.arguments(), call.type(), call.sortDescending()));
        }
        Ranking ranking = new Ranking(step, identity, running);
        String tableStore = step.name() + "-table-store";
        KStream<Row, Row> ranked;
        if (keptRowsInTable(step, identity)) {
            // the kept rows are the table's (see RankProcessor#overResultTable): no <step>-store
            ranked = partitioned.process(() -> RankProcessor.overResultTable(ranking, tableStore, in.size(),
                    RankProcessor.RECENT_PARTITIONS), Named.as(step.name()));
            ctx.storeConnections.put(step.name(), tableStore);
        } else {
            String store = step.name() + "-store";
            Schema stateSchema = new Schema(List.of(new Column("rows", new ArrayType(new StructType(in.columns())))));
            ctx.streams.addStateStore(RankProcessor.store(store, ctx.serdes.internal(partitionSchema),
                    ctx.serdes.internal(stateSchema), ctx.options.stateBackend()));
            ranked = partitioned.process(() -> new RankProcessor(ranking, store), Named.as(step.name()), store);
        }
        if (step.tableInTask()) {
            // every update of an output key (partition, position) comes from this task: the table is
            // built here, without <step>-to-table-repartition (the plan checked that no reader needs
            // the rows hash-partitioned by the whole key; see RankStep#tableInTask)
            ranked = SluiceGraph.partitionedByKey(ranked);
        }
        // a blind-write table when in the task (one store lookup less per forwarded position)
        return new Built.Table(BlindWriteTableSource.toTable(ranked, Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(tableStore)
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()))));
    }

    /**
     * Whether the partition's kept rows are exactly the rows at its positions in the output table
     * built in this task: over a stream (whose kept rows are those that rank, each at its position;
     * a table's keeps rows ranked out too), for a ranking (RUNNING's rows carry aggregates).
     */
    private static boolean keptRowsInTable(RankStep step, int[] identity) {
        return step.tableInTask() && identity.length == 0 && step.input().shape() != dev.sluice.runtime.plan.Step.Shape.TABLE
                && step.function() != RankStep.Function.RUNNING;
    }

    private static Row partitionOf(RankStep step, Row change) {
        Object[] key = new Object[step.partitionColumns().size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = change.get(step.partitionColumns().get(i));
        }
        return new Row(key);
    }


}
