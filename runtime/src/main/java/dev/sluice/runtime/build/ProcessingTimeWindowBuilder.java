package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.Aggregation;
import dev.sluice.runtime.operator.ProcessingTimeWindowAggregate;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * A GROUP BY over a processing-time window ({@link WindowSpec#processingTime()}): the input, already
 * keyed by the group key, goes through {@link ProcessingTimeWindowAggregate} ({@code <step>-aggregate})
 * with its store {@code <step>-store}. With end-of-time heartbeats (replay), the heartbeat closes
 * every open window at the end of the input.
 */
final class ProcessingTimeWindowBuilder {
    private ProcessingTimeWindowBuilder() {
    }

    static Built build(AggregateStep step, KStream<Row, Row> stream, Serde<Row> keySerde, BuildContext ctx) {
        WindowSpec window = step.window().orElseThrow();
        int keyWidth = step.groupKeys().size();
        if (ctx.options.endOfTimeHeartbeats()) {
            String topic = EndOfTime.topic(step.name());
            ctx.endOfTimeTopics.add(topic);
            KStream<Row, Row> heartbeat = ctx.streams.stream(topic,
                    Consumed.with(EndOfTime.keySerde(keyWidth), EndOfTime.valueSerde())
                            .withName(step.name() + "-end-of-time-source"));
            stream = stream.merge(heartbeat, Named.as(step.name() + "-end-of-time-merge"));
        }
        // every accumulator keeps its values in the state (no helper stores): a window's state is
        // dropped whole when it is emitted
        Aggregation aggregation = Aggregation.overStream(step.calls(), step.rowtimeColumn().orElse(-1), ctx.functions,
                ctx.compiler, -1, -1);
        String store = step.name() + "-store";
        ctx.streams.addStateStore(ProcessingTimeWindowAggregate.store(store));
        KStream<Row, Row> rows = stream.process(
                () -> new ProcessingTimeWindowAggregate(store, aggregation, keySerde, window, keyWidth),
                Named.as(step.name() + "-aggregate"), store);
        return new Built.Stream(rows);
    }
}
