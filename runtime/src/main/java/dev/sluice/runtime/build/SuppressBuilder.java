package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.kstream.Suppressed;

import java.time.Duration;

/** A dynamic table's TARGET_LAG: {@code suppress(untilTimeLimit)}, at most one update per key per interval. */
final class SuppressBuilder {
    private SuppressBuilder() {
    }

    static Built build(SuppressStep step, Built input, BuildContext ctx) {
        if (!(input instanceof Built.Table t)) {
            throw new IllegalStateException("suppress needs a table: " + step.name());
        }
        if (ctx.options.endOfTimeHeartbeats()) {
            // Replay reads the final table; the rate limit only drops intermediate updates, and the
            // updates it still holds at the end of the input would never be released.
            return input;
        }
        // Suppress buffers serialized rows and takes its serdes from the table it follows, which an
        // aggregate's result does not carry: materialize it with them first.
        KTable<Row, Row> withSerdes = t.table().mapValues(v -> v, Named.as(step.name() + "-input"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-input-store")
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema())));
        KTable<Row, Row> table = withSerdes.suppress(Suppressed.<Row>untilTimeLimit(Duration.ofMillis(step.intervalMs()),
                Suppressed.BufferConfig.unbounded()).withName(step.name()));
        return new Built.Table(table);
    }
}
