package dev.sluice.runtime.build;

import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deduplication (see {@link DeduplicateStep}): per key the kept row and its time. Expiry runs on a
 * stream-time punctuation, so a quiet partition keeps its keys until time moves again.
 */
final class DeduplicateBuilder {
    private DeduplicateBuilder() {
    }

    static Built build(DeduplicateStep step, Built input, BuildContext ctx) {
        Schema in = step.input().schema();
        int width = in.size();
        String store = step.name() + "-store";
        ctx.streams.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                ctx.serdes.internal(step.keySchema()),
                ctx.serdes.internal(in.append(new Column("dedup$time", ScalarType.BIGINT)))));
        long retention = step.retentionMs();
        // processValues: the key stays, so toTable needs no repartition.
        KStream<Row, Row> deduplicated = input.asStream(step.name()).processValues(
                () -> new ContextualFixedKeyProcessor<Row, Row, Row>() {
                    private KeyValueStore<Row, Row> kept;

                    @Override
                    public void init(FixedKeyProcessorContext<Row, Row> context) {
                        super.init(context);
                        kept = context.getStateStore(store);
                        if (retention > 0) {
                            context.schedule(Duration.ofMillis(Math.max(retention / 2, 1000)),
                                    PunctuationType.STREAM_TIME, this::expire);
                        }
                    }

                    @Override
                    public void process(FixedKeyRecord<Row, Row> record) {
                        Row row = record.value();
                        if (row == null) {
                            return;
                        }
                        long ts = step.orderColumn().isPresent() && row.get(step.orderColumn().getAsInt()) instanceof Long t
                                ? t : record.timestamp();
                        Row previous = kept.get(record.key());
                        boolean replace;
                        if (previous == null) {
                            replace = true;
                        } else {
                            long previousTs = (Long) previous.get(width);
                            replace = step.keepLast() ? ts >= previousTs
                                    : step.orderColumn().isPresent() && ts < previousTs;
                        }
                        if (replace) {
                            Object[] stored = Arrays.copyOf(row.toArray(), width + 1);
                            stored[width] = ts;
                            kept.put(record.key(), new Row(stored));
                            context().forward(record);
                        }
                    }

                    private void expire(long now) {
                        List<Row> old = new ArrayList<>();
                        try (KeyValueIterator<Row, Row> all = kept.all()) {
                            while (all.hasNext()) {
                                KeyValue<Row, Row> e = all.next();
                                if ((Long) e.value.get(width) < now - retention) {
                                    old.add(e.key);
                                }
                            }
                        }
                        old.forEach(kept::delete);
                    }
                }, Named.as(step.name()), store);
        return new Built.Table(deduplicated.toTable(Named.as(step.name() + "-to-table"),
                Materialized.<Row, Row, KeyValueStore<Bytes, byte[]>>as(step.name() + "-table-store")
                        .withKeySerde(ctx.serdes.internal(step.keySchema()))
                        .withValueSerde(ctx.serdes.internal(step.schema()))));
    }
}
