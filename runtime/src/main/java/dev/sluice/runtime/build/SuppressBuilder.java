package dev.sluice.runtime.build;

import dev.sluice.runtime.operator.TargetLagProcessor;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A dynamic table's TARGET_LAG: every change waits at most the lag in wall-clock time, and each key
 * is published at most once per lag ({@link TargetLagProcessor}).
 */
final class SuppressBuilder {
    private SuppressBuilder() {
    }

    static Built build(SuppressStep step, Built input, BuildContext ctx) {
        if (!(input instanceof Built.Table t)) {
            throw new IllegalStateException("suppress needs a table: " + step.name());
        }
        if (ctx.options.endOfTimeHeartbeats()) {
            // Replay reads the final table; the rate limit only drops intermediate updates.
            return input;
        }
        String store = step.name() + "-pending";
        int width = step.schema().size();
        ctx.streams.addStateStore(ctx.options.stateBackend().keyValue(store,
                ctx.serdes.internal(step.keySchema()),
                ctx.serdes.internal(step.schema().append(new Column("lag$deleted", ScalarType.BOOLEAN))
                        .append(new Column("lag$time", ScalarType.BIGINT)))));
        KStream<Row, Row> published = t.table().toStream(Named.as(step.name() + "-changes"))
                .processValues(() -> new TargetLagProcessor(step.name(), store, step.intervalMs(), width),
                        Named.as(step.name()), store);
        // toTable always keeps a store; named, so that a restarted instance finds it again
        return new Built.Table(published.toTable(Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-table-store")
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()))));
    }
}
