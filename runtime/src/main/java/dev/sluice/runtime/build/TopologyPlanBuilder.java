package dev.sluice.runtime.build;

import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.DeduplicateStep;
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

    public Result build(List<QueryPlan> plans, Properties streamsConfig) {
        // With ensure.explicit.internal.resource.naming in the config, Kafka Streams itself refuses a
        // generated store or internal topic name while the topology is built.
        StreamsBuilder streams = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
        BuildContext ctx = new BuildContext(streams, serdes, functions, options);
        for (QueryPlan plan : plans) {
            Built root = build(plan.root(), ctx);
            sink(plan, root, ctx);
        }
        return new Result(streams.build(streamsConfig), List.copyOf(ctx.endOfTimeTopics));
    }

    private void sink(QueryPlan plan, Built root, BuildContext ctx) {
        Step step = plan.root();
        FormatSpec format = plan.sink().orElseThrow();
        KStream<Row, Row> stream = root.asStream(plan.id());
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
            stream.map((k, v) -> org.apache.kafka.streams.KeyValue.pair(v == null ? keyOrNull(k, split) : split.keyOf(v),
                                    v == null ? null : split.valueOf(v)), Named.as(plan.id() + "-sink-key"))
                    .to(format.topic(), Produced.with(ctx.serdes.key(split.keySchema(), format),
                            ctx.serdes.value(split.valueSchema(), format)).withName(plan.id() + "-sink"));
            return;
        }
        stream.to(format.topic(), Produced.with(ctx.serdes.key(step.keySchema(), format),
                ctx.serdes.value(step.schema(), format)).withName(plan.id() + "-sink"));
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
    private static Row keyOrNull(Row key, RecordKeyColumns split) {
        return key != null && key.size() == split.keyPositions().size() ? key : null;
    }

    private Built build(Step step, BuildContext ctx) {
        Built done = ctx.built.get(step);
        if (done != null) {
            return done;
        }
        Built result;
        if (step instanceof SourceStep s) {
            result = SourceBuilder.stream(s, ctx);
        } else if (step instanceof TableSourceStep t) {
            result = SourceBuilder.table(t, ctx);
        } else if (step instanceof FilterStep f) {
            result = StatelessBuilder.filter(f, build(f.input(), ctx), ctx);
        } else if (step instanceof ProjectStep p) {
            result = StatelessBuilder.project(p, build(p.input(), ctx), ctx);
        } else if (step instanceof RekeyStep r) {
            result = StatelessBuilder.rekey(r, build(r.input(), ctx), ctx);
        } else if (step instanceof AggregateStep a) {
            result = AggregateBuilder.build(a, build(a.input(), ctx), ctx);
        } else if (step instanceof UnionStep u) {
            List<Built> inputs = new ArrayList<>();
            for (Step in : u.inputs()) {
                inputs.add(build(in, ctx));
            }
            result = StatelessBuilder.union(u, inputs);
        } else if (step instanceof StreamTableJoinStep j) {
            result = JoinBuilder.streamTable(j, build(j.left(), ctx), build(j.right(), ctx), ctx);
        } else if (step instanceof StreamStreamJoinStep j) {
            result = JoinBuilder.streamStream(j, build(j.left(), ctx), build(j.right(), ctx), ctx);
        } else if (step instanceof TableTableJoinStep j) {
            result = JoinBuilder.tableTable(j, build(j.left(), ctx), build(j.right(), ctx), ctx);
        } else if (step instanceof LagLeadStep l) {
            result = LagLeadBuilder.build(l, build(l.input(), ctx), ctx);
        } else if (step instanceof RankStep r) {
            result = RankBuilder.build(r, build(r.input(), ctx), ctx);
        } else if (step instanceof DeduplicateStep d) {
            result = DeduplicateBuilder.build(d, build(d.input(), ctx), ctx);
        } else if (step instanceof SuppressStep s) {
            result = SuppressBuilder.build(s, build(s.input(), ctx), ctx);
        } else {
            throw new IllegalStateException("no builder for " + step.getClass().getSimpleName());
        }
        ctx.built.put(step, result);
        return result;
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
