package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.operator.OverAggregateProcessor;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.OverAggregateStep;
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
 * Streaming OVER aggregation per partition key (see {@link OverAggregateStep}): wires
 * {@link OverAggregateProcessor} with its stores, {@code <step>-store} (per key: accumulators, or the
 * rows in a bounded frame) and {@code <step>-buffer} (rows waiting for the watermark, in event-time
 * order), and, in replay, the end-of-time topic that releases the rows still waiting.
 */
final class OverAggregateBuilder {
    private OverAggregateBuilder() {
    }

    static Built build(OverAggregateStep step, Built input, BuildContext ctx) {
        Schema in = step.input().schema();
        List<AccumulatorFactory> factories = new ArrayList<>();
        int[][] arguments = new int[step.calls().size()][];
        for (int c = 0; c < arguments.length; c++) {
            AggregateCall call = step.calls().get(c);
            factories.add(ctx.functions.aggregate(call.function())
                    .orElseThrow(() -> new IllegalStateException("no aggregate " + call.function()))
                    .implement(call.arguments(), call.type(), call.sortDescending()));
            arguments[c] = call.arguments().stream().mapToInt(a -> ((Expr.InputRef) a).index()).toArray();
        }
        List<Column> state = new ArrayList<>();
        if (step.frame().unbounded()) {
            for (int c = 0; c < arguments.length; c++) {
                state.add(new Column("accumulator$" + c, ScalarType.BYTES));
            }
        } else {
            List<Column> kept = new ArrayList<>(List.of(new Column("time", ScalarType.BIGINT)));
            for (int column : OverAggregateProcessor.keptColumns(arguments)) {
                kept.add(in.column(column));
            }
            state.add(new Column("frame", new ArrayType(new StructType(kept))));
        }
        String store = step.name() + "-store";
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store,
                ctx.serdes.internal(step.keySchema()), ctx.serdes.internal(new Schema(state))));
        String buffer = step.name() + "-buffer";
        Schema order = new Schema(List.of(new Column("time", ScalarType.BIGINT), new Column("arrival", ScalarType.BIGINT)));
        Schema waiting = new Schema(List.of(new Column("key", new StructType(step.keySchema().columns())),
                new Column("row", new StructType(in.columns()))));
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(buffer,
                ctx.serdes.internal(order), ctx.serdes.internal(waiting)));
        KStream<Row, Row> stream = input.asStream(step.name());
        if (ctx.options.endOfTimeHeartbeats()) {
            // Rows still waiting for the watermark are released at the end of the input, as Flink
            // does at the end of a bounded source.
            stream = EndOfTime.mergeInto(stream, step.name(), step.keySchema().size(), ctx);
        }
        return new Built.Stream(stream.process(() -> new OverAggregateProcessor(factories, arguments, step.frame(),
                in.size(), store, buffer, step.sortDelayMs()), Named.as(step.name()), store, buffer));
    }
}
