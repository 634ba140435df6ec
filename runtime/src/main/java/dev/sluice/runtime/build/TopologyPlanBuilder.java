package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.ChangeRecordMapper;

import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.QueryPlan;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.StepVisitor;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.StreamTableJoinStep;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.TableTableJoinStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Turns the plans of one script into one Kafka Streams {@link Topology}: one small builder per step
 * type, dispatched here. Building is deterministic: the same plans always give the same topology
 * with the same processor, store and topic names, so every instance of an application agrees.
 */
public final class TopologyPlanBuilder {
    private final SerdeFactory serdes;
    private final FunctionCatalog functions;
    private final BuildOptions options;

    public TopologyPlanBuilder(SerdeFactory serdes, FunctionCatalog functions, BuildOptions options) {
        this.serdes = serdes;
        this.functions = functions;
        this.options = options;
    }

    /** The topology, plus the heartbeat topics replay feeds at the end of the input. */
    public record Result(Topology topology, List<String> endOfTimeTopics) {
    }

    public Result build(List<QueryPlan> plans, Properties config) {
        // The stores the DSL makes itself (Materialized, StreamJoined, foreign-key joins) come from
        // the backend's suppliers; the stores Sluice's processors add take options.stateBackend().
        Properties streamsConfig = new Properties();
        streamsConfig.putAll(config);
        streamsConfig.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, options.stateBackend().dslStoreSuppliers());
        // With ensure.explicit.internal.resource.naming in the config, Kafka Streams itself refuses a
        // generated store or internal topic name while the topology is built.
        StreamsBuilder streams = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
        BuildContext ctx = new BuildContext(streams, serdes, functions, options);
        ctx.reads = SourceReads.of(plans);
        ctx.tableReaders = ResultTableReaders.of(plans);
        ctx.consumers = StatelessChain.consumers(plans);
        ctx.preAggregated = PanePreAggregateBuilder.plan(ctx);
        for (QueryPlan plan : plans) {
            Built root = build(plan.root(), ctx);
            sink(plan, root, ctx);
        }
        Topology topology = streams.build(streamsConfig);
        // a processor that reads a store the DSL creates after it (a session late guard)
        ctx.storeConnections.forEach((processor, store) -> topology.connectProcessorAndStateStores(processor, store));
        return new Result(topology, List.copyOf(ctx.endOfTimeTopics));
    }

    private void sink(QueryPlan plan, Built root, BuildContext ctx) {
        Step step = plan.root();
        FormatSpec format = plan.sink().orElseThrow();
        KStream<Row, Row> stream = root.asStream(plan.id());
        String connector = format.properties().getOrDefault("connector", "kafka");
        // Replay shows what reaches every sink, so there a blackhole or print sink is written like any other.
        if (!ctx.options.endOfTimeHeartbeats() && (connector.equalsIgnoreCase("blackhole")
                || connector.equalsIgnoreCase("print"))) {
            stream.process(() -> new DiscardingSink(connector.equalsIgnoreCase("print") ? plan.id() : null),
                    Named.as(plan.id() + "-sink"));
            return;
        }
        String stampColumn = format.properties().get(dev.sluice.runtime.operator.SinkTimestampProcessor.OPTION);
        if (stampColumn != null) {
            // ksqlDB's sink WITH (TIMESTAMP='col'): the record's time is the column's value
            int column = Integer.parseInt(stampColumn);
            String textFormat = format.properties().get(dev.sluice.runtime.operator.SinkTimestampProcessor.FORMAT_OPTION);
            stream = stream.processValues(() -> new dev.sluice.runtime.operator.SinkTimestampProcessor(column, textFormat),
                    Named.as(plan.id() + "-sink-timestamp"));
        }
        var ksqlWindow = dev.sluice.runtime.plan.OutputWindow.ksql(step);
        if (ksqlWindow.isPresent()) {
            // ksqlDB's windowed sink: the key columns and the window in the record key.
            RecordKeyColumns split = new RecordKeyColumns(step.schema(), plan.sinkKeyColumns());
            stream.map((k, v) -> org.apache.kafka.streams.KeyValue.pair(windowedKey(k, v, split),
                                    v == null ? null : split.valueOf(v)), Named.as(plan.id() + "-sink-key"))
                    .to(format.topic(), Produced.with(org.apache.kafka.common.serialization.Serdes.serdeFrom(
                            WindowedKeys.serializer(ctx.serdes.key(split.keySchema(), format).serializer(),
                                    ksqlWindow.get()), (t, b) -> null),
                            ctx.serdes.value(split.valueSchema(), format)).withName(plan.id() + "-sink"));
            return;
        }
        if (!plan.sinkKeyColumns().isEmpty()) {
            // ksqlDB's layout: the KEY columns travel in the record key only.
            RecordKeyColumns split = new RecordKeyColumns(step.schema(), plan.sinkKeyColumns());
            stream.map((k, v) -> org.apache.kafka.streams.KeyValue.pair(v == null ? keyOrNull(k, split) : recordKey(k, split.keyOf(v)),
                                    v == null ? null : split.valueOf(v)), Named.as(plan.id() + "-sink-key"))
                    .to(format.topic(), Produced.with(ctx.serdes.key(split.keySchema(), format),
                            ctx.serdes.value(split.valueSchema(), format)).withName(plan.id() + "-sink"));
            return;
        }
        dev.sluice.serdes.row.Schema written = plan.outputSchema();
        if (plan.changeRecords()) {
            // A STREAM over an updating result: each change is a record that carries its operation.
            if (plan.changeForm() == dev.sluice.runtime.plan.QueryPlan.ChangeForm.UPSERT) {
                stream = stream.mapValues(new ChangeRecordMapper(step.schema().size(), keyColumnsInValue(step)),
                        Named.as(plan.id() + "-changes"));
            } else {
                // the retract form needs each key's previous row: kept in <query>-changes-store
                String store = plan.id() + "-changes-store";
                ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store,
                        ctx.serdes.internal(step.keySchema()), ctx.serdes.internal(step.schema())));
                int width = step.schema().size();
                stream = stream.processValues(() -> new dev.sluice.runtime.operator.RetractChangeRecords(store, width),
                        Named.as(plan.id() + "-changes"), store);
            }
        }
        stream.to(format.topic(), Produced.with(ctx.serdes.key(step.keySchema(), format),
                ctx.serdes.value(written, format)).withName(plan.id() + "-sink"));
    }

    /** For each key column, the value column of the same name, or -1. */
    private static int[] keyColumnsInValue(Step step) {
        int[] out = new int[step.keySchema().size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = -1;
            for (int c = 0; c < step.schema().size() && out[k] < 0; c++) {
                if (step.schema().column(c).name().equalsIgnoreCase(step.keySchema().column(k).name())) {
                    out[k] = c;
                }
            }
        }
        return out;
    }

    /** Key columns from the value, then the window start and end the aggregate put last in the key. */
    private static Row windowedKey(Row key, Row value, RecordKeyColumns split) {
        Row cols;
        if (value == null) { // a deleted window: its group key is the aggregate's key
            Object[] group = new Object[split.keyPositions().size()];
            for (int i = 0; i < group.length && i < key.size() - 2; i++) {
                group[i] = key.get(i);
            }
            cols = new Row(group);
        } else {
            cols = split.keyOf(value);
        }
        Object[] out = new Object[cols.size() + 2];
        for (int i = 0; i < cols.size(); i++) {
            out[i] = cols.get(i);
        }
        out[cols.size()] = key.get(key.size() - 2);
        out[cols.size() + 1] = key.get(key.size() - 1);
        return new Row(out);
    }

    /** A deleted row's key: the step's key when it is exactly the key columns (a table keyed by them). */
    /**
     * ksqlDB reads a record without a key as "no key" (every key column NULL) and writes it back
     * without one: a row that still has no key of its own ({@code streamKey} null: not re-keyed,
     * grouped or joined since) whose key columns of several are all NULL is written with a null
     * record key. A key computed to NULLs (PARTITION BY two NULL columns) is written as it is.
     */
    static Row recordKey(Row streamKey, Row key) {
        if (streamKey != null || key.size() < 2) {
            return key;
        }
        for (int i = 0; i < key.size(); i++) {
            if (key.get(i) != null) {
                return key;
            }
        }
        return null;
    }

    private static Row keyOrNull(Row key, RecordKeyColumns split) {
        return key != null && key.size() == split.keyPositions().size() ? key : null;
    }

    private Built build(Step step, BuildContext ctx) {
        Built done = ctx.built.get(step);
        if (done != null) {
            return done;
        }
        Built result = StatelessChain.fuse(step, ctx, s -> build(s, ctx))
                .orElseGet(() -> step.accept(new StepBuilder(ctx)));
        checkShape(step, result);
        ctx.built.put(step, result);
        return result;
    }

    /** The plan decides stream or table; a builder that disagrees with it is a bug. */
    private static void checkShape(Step step, Built built) {
        boolean table = !(built instanceof Built.Stream);
        if (table != (step.shape() == Step.Shape.TABLE)) {
            throw new IllegalStateException(step.name() + ": the plan says " + step.shape() + " but its builder made a "
                    + built.getClass().getSimpleName());
        }
    }

    /** One small builder per step type; inputs are built first (once each, shared steps too). */
    private final class StepBuilder implements StepVisitor<Built> {
        private final BuildContext ctx;

        StepBuilder(BuildContext ctx) {
            this.ctx = ctx;
        }

        private Built in(Step step) {
            return build(step, ctx);
        }

        @Override
        public Built visitSource(SourceStep s) {
            return SourceBuilder.stream(s, ctx);
        }

        @Override
        public Built visitTableSource(TableSourceStep t) {
            return SourceBuilder.table(t, ctx);
        }

        @Override
        public Built visitFilter(FilterStep f) {
            return StatelessBuilder.filter(f, in(f.input()), ctx);
        }

        @Override
        public Built visitProject(ProjectStep p) {
            return StatelessBuilder.project(p, in(p.input()), ctx);
        }

        @Override
        public Built visitRekey(RekeyStep r) {
            return StatelessBuilder.rekey(r, in(r.input()), ctx);
        }

        @Override
        public Built visitAggregate(AggregateStep a) {
            return AggregateBuilder.build(a, in(a.input()), ctx);
        }

        @Override
        public Built visitStreamTableJoin(StreamTableJoinStep j) {
            return JoinBuilder.streamTable(j, in(j.left()), in(j.right()), ctx);
        }

        @Override
        public Built visitStreamStreamJoin(StreamStreamJoinStep j) {
            var inner = JoinBuilder.threeWayInner(j, ctx);
            if (inner.isPresent()) { // the inner join is not built: the three-way operator replaces both
                StreamStreamJoinStep i = inner.get();
                return JoinBuilder.regularThreeWay(j, i, in(i.left()), in(i.right()), in(j.right()), ctx);
            }
            return JoinBuilder.streamStream(j, in(j.left()), in(j.right()), ctx);
        }

        @Override
        public Built visitTableTableJoin(TableTableJoinStep j) {
            return JoinBuilder.tableTable(j, in(j.left()), in(j.right()), ctx);
        }

        @Override
        public Built visitUnion(UnionStep u) {
            List<Built> inputs = new ArrayList<>();
            for (Step s : u.inputs()) {
                inputs.add(in(s));
            }
            return StatelessBuilder.union(u, inputs);
        }

        @Override
        public Built visitLagLead(LagLeadStep l) {
            return LagLeadBuilder.build(l, in(l.input()), ctx);
        }

        @Override
        public Built visitOverAggregate(dev.sluice.runtime.plan.OverAggregateStep o) {
            return OverAggregateBuilder.build(o, in(o.input()), ctx);
        }

        @Override
        public Built visitRank(RankStep r) {
            return RankBuilder.build(r, in(r.input()), ctx);
        }

        @Override
        public Built visitExplode(ExplodeStep e) {
            return StatelessBuilder.explode(e, in(e.input()), ctx);
        }

        @Override
        public Built visitDeduplicate(DeduplicateStep d) {
            return DeduplicateBuilder.build(d, in(d.input()), ctx);
        }

        @Override
        public Built visitSuppress(SuppressStep s) {
            return SuppressBuilder.build(s, in(s.input()), ctx);
        }
    }

    /**
     * The topic a bare SELECT writes its rows to, for printing. Prefixed with the application id so
     * two applications on one cluster never share it.
     */
    public static String outputTopic(String applicationId, String queryId) {
        return applicationId + "-" + queryId + "-output";
    }

    static Named named(String name) {
        return Named.as(name);
    }
}
