package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.operator.LagLeadProcessor;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.LagLeadStep.OffsetCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.util.ArrayList;
import java.util.List;

/**
 * LAG/LEAD per partition key (see {@link LagLeadStep}): wires {@link LagLeadProcessor} with its
 * stores, {@code <step>-store} (per key: LAG histories and rows waiting for LEAD values) and, with
 * a sort delay, {@code <step>-buffer} (rows waiting for the watermark, in event-time order).
 */
final class LagLeadBuilder {
    private LagLeadBuilder() {
    }

    static Built build(LagLeadStep step, Built input, BuildContext ctx) {
        List<OffsetCall> calls = step.calls();
        Schema in = step.input().schema();
        List<Column> state = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            state.add(new Column("history$" + i, new ArrayType(in.type(calls.get(i).argument()))));
        }
        state.add(new Column("pending", new ArrayType(new StructType(step.schema().columns()))));
        String store = step.name() + "-store";
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store,
                ctx.serdes.internal(step.keySchema()), ctx.serdes.internal(new Schema(state))));
        String buffer = step.name() + "-buffer";
        boolean sorted = step.sortDelayMs().isPresent();
        List<String> stores = new ArrayList<>(List.of(store));
        if (sorted) {
            Schema order = new Schema(List.of(new Column("time", ScalarType.BIGINT), new Column("arrival", ScalarType.BIGINT)));
            Schema waiting = new Schema(List.of(new Column("key", new StructType(step.keySchema().columns())),
                    new Column("row", new StructType(in.columns()))));
            ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(buffer,
                    ctx.serdes.internal(order), ctx.serdes.internal(waiting)));
            stores.add(buffer);
        }
        Evaluator[] defaults = new Evaluator[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            defaults[i] = ctx.compiler.compile(calls.get(i).defaultValue());
        }
        KStream<Row, Row> stream = input.asStream(step.name());
        if ((sorted || step.hasLead()) && ctx.options.endOfTimeHeartbeats()) {
            // Rows still waiting (for the watermark, or for a LEAD that never comes) are released at
            // the end of the input, as Flink does at the end of a bounded source.
            stream = EndOfTime.mergeInto(stream, step.name(), step.keySchema().size(), ctx);
        }
        String sortBuffer = sorted ? buffer : null;
        return new Built.Stream(stream.process(() -> new LagLeadProcessor(calls, defaults, in.size(), store, sortBuffer,
                step.sortDelayMs().orElse(0)), Named.as(step.name()), stores.toArray(new String[0])));
    }
}
