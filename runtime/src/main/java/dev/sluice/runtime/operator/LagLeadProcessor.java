package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.LagLeadStep.OffsetCall;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * LAG/LEAD per partition key (see {@link LagLeadStep}). The state store ({@code store}) holds one
 * row per key: for each LAG call the last {@code n} values of its argument (most recent first),
 * then the output rows still waiting for their LEAD values. With a sort delay, rows first wait in
 * {@code buffer}, an {@link EventTimeSortBuffer} (the one the OVER aggregation uses), until the
 * watermark passes them; a row at or behind the watermark is late and fails with
 * {@link dev.sluice.runtime.build.LateRecordException} (counted and dead-lettered by the processing
 * exception handler). {@link EndOfTime#MARKER} releases every waiting row.
 */
public final class LagLeadProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    private final List<OffsetCall> calls;
    private final Evaluator[] defaults;
    private final int width;
    private final String store;
    private final String buffer;
    private final boolean sorted;
    private final long delay;
    private final int maxLead;
    private KeyValueStore<Row, Row> states;
    private EventTimeSortBuffer sorter;

    /**
     * @param defaults each call's default value, evaluated over the row
     * @param width    the number of input columns; the output appends one column per call
     * @param buffer   the sort buffer's store, or null when rows are taken in arrival order
     * @param delay    the watermark delay of the sort (ignored without a buffer)
     */
    public LagLeadProcessor(List<OffsetCall> calls, Evaluator[] defaults, int width, String store, String buffer,
                            long delay) {
        this.calls = List.copyOf(calls);
        this.defaults = defaults.clone();
        this.width = width;
        this.store = store;
        this.buffer = buffer;
        this.sorted = buffer != null;
        this.delay = delay;
        this.maxLead = calls.stream().filter(OffsetCall::lead).mapToInt(OffsetCall::offset).max().orElse(0);
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        states = context.getStateStore(store);
        if (sorted) {
            sorter = new EventTimeSortBuffer(context.getStateStore(buffer), delay);
        }
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (record.value() == EndOfTime.MARKER) {
            if (sorted) {
                handleAll(sorter.release(Long.MAX_VALUE));
            }
            flushAll(record.timestamp());
            return;
        }
        if (record.value() == null) {
            // a record without a row (a tombstone on a stream) has no values to lag: counted, logged
            // and dead-lettered, never silently skipped. NULL column values are values.
            throw new DroppedRecordException(DropReason.NULL_VALUE, "a record without a value has no row for LAG/LEAD");
        }
        if (!sorted) {
            handle(record.key(), record.value(), record.timestamp());
            return;
        }
        handleAll(sorter.add(record.key(), record.value(), record.timestamp()));
    }

    private void handleAll(List<EventTimeSortBuffer.Due> due) {
        for (EventTimeSortBuffer.Due row : due) {
            handle(row.key(), row.value(), row.timestamp());
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
}
