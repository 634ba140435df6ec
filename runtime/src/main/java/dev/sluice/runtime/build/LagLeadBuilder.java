package dev.sluice.runtime.build;

import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.LagLeadStep.OffsetCall;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.StructType;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * LAG/LEAD per partition key (see {@link LagLeadStep}). State per key, one row: for each LAG call
 * the last {@code n} values of its argument (most recent first), then the output rows still
 * waiting for their LEAD values. With a sort delay, rows first wait in a buffer keyed by
 * (event time, arrival number), whose store iterates in that order.
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
        ctx.streams.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                ctx.serdes.internal(step.keySchema()), ctx.serdes.internal(new Schema(state))));
        String buffer = step.name() + "-buffer";
        boolean sorted = step.sortDelayMs().isPresent();
        List<String> stores = new ArrayList<>(List.of(store));
        if (sorted) {
            Schema order = new Schema(List.of(new Column("time", ScalarType.BIGINT), new Column("arrival", ScalarType.BIGINT)));
            Schema waiting = new Schema(List.of(new Column("key", new StructType(step.keySchema().columns())),
                    new Column("row", new StructType(in.columns()))));
            ctx.streams.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(buffer),
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
            String topic = EndOfTime.topic(step.name());
            ctx.endOfTimeTopics.add(topic);
            stream = stream.merge(ctx.streams.stream(topic, Consumed.with(EndOfTime.keySerde(step.keySchema().size()),
                    EndOfTime.valueSerde()).withName(step.name() + "-end-of-time-source")),
                    Named.as(step.name() + "-end-of-time-merge"));
        }
        int maxLead = calls.stream().filter(OffsetCall::lead).mapToInt(OffsetCall::offset).max().orElse(0);
        int width = in.size();
        long delay = step.sortDelayMs().orElse(0);
        return new Built.Stream(stream.process(() -> new ContextualProcessor<Row, Row, Row, Row>() {
            private KeyValueStore<Row, Row> states;
            private KeyValueStore<Row, Row> waiting;
            private long maxTimestamp = Long.MIN_VALUE;
            private long arrivals;

            @Override
            public void init(ProcessorContext<Row, Row> context) {
                super.init(context);
                states = context.getStateStore(store);
                if (sorted) {
                    waiting = context.getStateStore(buffer);
                    try (KeyValueIterator<Row, Row> all = waiting.all()) {
                        while (all.hasNext()) {
                            Row order = all.next().key;
                            maxTimestamp = Math.max(maxTimestamp, (Long) order.get(0));
                            arrivals = Math.max(arrivals, (Long) order.get(1) + 1);
                        }
                    }
                }
            }

            @Override
            public void process(Record<Row, Row> record) {
                if (record.value() == EndOfTime.MARKER) {
                    if (sorted) {
                        release(Long.MAX_VALUE);
                    }
                    flushAll(record.timestamp());
                    return;
                }
                if (record.value() == null) {
                    // a record without a row (a tombstone on a stream) has no values to lag: counted,
                    // logged and dead-lettered, never silently skipped. NULL column values are values.
                    throw new dev.sluice.runtime.errors.DroppedRecordException(
                            dev.sluice.runtime.errors.DropReason.NULL_VALUE, "a record without a value has no row for "
                            + "LAG/LEAD");
                }
                if (!sorted) {
                    handle(record.key(), record.value(), record.timestamp());
                    return;
                }
                long watermark = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - delay;
                if (record.timestamp() <= watermark) {
                    throw new LateRecordException("late record at " + Instant.ofEpochMilli(record.timestamp())
                            + ": the watermark is at " + Instant.ofEpochMilli(watermark)
                            + " and rows before it have already been ordered");
                }
                waiting.put(new Row(new Object[]{record.timestamp(), arrivals++}),
                        new Row(new Object[]{record.key(), record.value()}));
                maxTimestamp = Math.max(maxTimestamp, record.timestamp());
                release(maxTimestamp - delay);
            }

            /** Takes every waiting row at or before {@code watermark}, in event-time order. */
            private void release(long watermark) {
                List<KeyValue<Row, Row>> due = new ArrayList<>();
                try (KeyValueIterator<Row, Row> all = waiting.all()) {
                    while (all.hasNext()) {
                        KeyValue<Row, Row> e = all.next();
                        if ((Long) e.key.get(0) > watermark) {
                            break;
                        }
                        due.add(e);
                    }
                }
                for (KeyValue<Row, Row> e : due) {
                    waiting.delete(e.key);
                    handle((Row) e.value.get(0), (Row) e.value.get(1), (Long) e.key.get(0));
                }
            }

            @SuppressWarnings("unchecked")
            private void handle(Row key, Row row, long timestamp) {
                Row previous = states.get(key);
                Object[] next = new Object[calls.size() + 1];
                Object[] out = new Object[width + calls.size()];
                System.arraycopy(row.toArray(), 0, out, 0, width);
                for (int i = 0; i < calls.size(); i++) {
                    OffsetCall call = calls.get(i);
                    if (call.lead()) {
                        continue;
                    }
                    List<Object> history = previous == null || previous.get(i) == null ? new ArrayList<>()
                            : new ArrayList<>((List<Object>) previous.get(i));
                    out[width + i] = history.size() >= call.offset() ? history.get(call.offset() - 1)
                            : defaults[i].evaluate(row);
                    history.add(0, row.get(call.argument()));
                    while (history.size() > call.offset()) {
                        history.remove(history.size() - 1);
                    }
                    next[i] = history;
                }
                List<Row> pending = previous == null || previous.get(calls.size()) == null ? new ArrayList<>()
                        : new ArrayList<>((List<Row>) previous.get(calls.size()));
                if (maxLead == 0) {
                    context().forward(new Record<>(key, new Row(out), timestamp));
                } else {
                    pending.add(new Row(out));
                    if (pending.size() > maxLead) {
                        context().forward(new Record<>(key, withLeads(pending, 0), timestamp));
                        pending.remove(0);
                    }
                }
                next[calls.size()] = pending;
                states.put(key, new Row(next));
            }

            /** Row {@code at} of {@code pending} with each LEAD(x, n) set to x of the row n later, or its default. */
            private Row withLeads(List<Row> pending, int at) {
                Object[] out = pending.get(at).toArray().clone();
                for (int i = 0; i < calls.size(); i++) {
                    OffsetCall call = calls.get(i);
                    if (call.lead()) {
                        int later = at + call.offset();
                        out[width + i] = later < pending.size() ? pending.get(later).get(call.argument())
                                : defaults[i].evaluate(pending.get(at));
                    }
                }
                return new Row(out);
            }

            @SuppressWarnings("unchecked")
            private void flushAll(long timestamp) {
                if (maxLead == 0) {
                    return;
                }
                List<Row> keys = new ArrayList<>();
                try (KeyValueIterator<Row, Row> all = states.all()) {
                    while (all.hasNext()) {
                        KeyValue<Row, Row> entry = all.next();
                        List<Row> pending = (List<Row>) entry.value.get(calls.size());
                        for (int at = 0; pending != null && at < pending.size(); at++) {
                            context().forward(new Record<>(entry.key, withLeads(pending, at), timestamp));
                        }
                        keys.add(entry.key);
                    }
                }
                keys.forEach(states::delete);
            }
        }, Named.as(step.name()), stores.toArray(new String[0])));
    }
}
