package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.plan.OverAggregateStep;
import dev.sluice.runtime.plan.OverFrame;
import dev.sluice.serdes.row.Row;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming OVER aggregation per partition key (see {@link OverAggregateStep}). Rows are put in
 * event-time order by an {@link EventTimeSortBuffer}; each released row is emitted once with its
 * frame's aggregates. Rows of one partition with equal time (peers) are released together; under
 * RANGE they share one value, under ROWS each has its own, in arrival order.
 *
 * <p>The store holds per partition key, for an unbounded frame, each call's serialized accumulator
 * (one BYTES column per call); for a bounded frame, one column: the rows still in the frame, each as
 * (event time, the argument columns), oldest first. A bounded frame is recomputed from those rows
 * for each output, since MIN and MAX cannot take a row back out; the frame is small (ROWS n) or is
 * the user's interval. {@link EndOfTime#MARKER} releases every waiting row.
 */
public final class OverAggregateProcessor extends ContextualProcessor<Row, Row, Row, Row> {
    private final List<AccumulatorFactory> factories;
    /** Per call, its argument columns as positions in a kept row's argument list. */
    private final int[][] callArguments;
    /** The input columns a kept row holds (every call's arguments). */
    private final int[] keptColumns;
    private final OverFrame frame;
    private final int width;
    private final String store;
    private final String buffer;
    private final long delay;
    private KeyValueStore<Row, Row> states;
    private EventTimeSortBuffer sorter;

    /**
     * @param arguments per call, its argument columns in the input row
     * @param width     the number of input columns; the output appends one column per call
     */
    public OverAggregateProcessor(List<AccumulatorFactory> factories, int[][] arguments, OverFrame frame, int width,
                                  String store, String buffer, long delay) {
        this.factories = List.copyOf(factories);
        this.frame = frame;
        this.width = width;
        this.store = store;
        this.buffer = buffer;
        this.delay = delay;
        this.keptColumns = keptColumns(arguments);
        this.callArguments = new int[arguments.length][];
        for (int c = 0; c < arguments.length; c++) {
            callArguments[c] = new int[arguments[c].length];
            for (int a = 0; a < arguments[c].length; a++) {
                callArguments[c][a] = indexOf(keptColumns, arguments[c][a]);
            }
        }
    }

    /** The distinct argument columns of all calls, in input order. */
    public static int[] keptColumns(int[][] arguments) {
        return java.util.Arrays.stream(arguments).flatMapToInt(java.util.Arrays::stream).distinct().sorted().toArray();
    }

    private static int indexOf(int[] columns, int column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == column) {
                return i;
            }
        }
        throw new IllegalArgumentException("column " + column + " is not kept");
    }

    @Override
    public void init(ProcessorContext<Row, Row> context) {
        super.init(context);
        states = context.getStateStore(store);
        sorter = new EventTimeSortBuffer(context.getStateStore(buffer), delay);
    }

    @Override
    public void process(Record<Row, Row> record) {
        if (record.value() == EndOfTime.MARKER) {
            emit(sorter.release(Long.MAX_VALUE));
            return;
        }
        if (record.value() == null) {
            // a record without a row (a tombstone on a stream) has nothing to aggregate: counted,
            // logged and dead-lettered, never silently skipped. NULL column values are values.
            throw new DroppedRecordException(DropReason.NULL_VALUE, "a record without a value has no row for OVER");
        }
        emit(sorter.add(record.key(), record.value(), record.timestamp()));
    }

    /** Released rows, grouped into one partition's peers (equal time), in order. */
    private void emit(List<EventTimeSortBuffer.Due> due) {
        int i = 0;
        while (i < due.size()) {
            long time = due.get(i).timestamp();
            Map<Row, List<Row>> peers = new LinkedHashMap<>();
            while (i < due.size() && due.get(i).timestamp() == time) {
                peers.computeIfAbsent(due.get(i).key(), k -> new ArrayList<>()).add(due.get(i).value());
                i++;
            }
            peers.forEach((key, rows) -> handle(key, rows, time));
        }
    }

    private void handle(Row key, List<Row> rows, long time) {
        Row state = states.get(key);
        Row next = frame.unbounded() ? unbounded(key, state, rows, time) : bounded(key, state, rows, time);
        states.put(key, next);
    }

    private Row unbounded(Row key, Row state, List<Row> rows, long time) {
        Accumulator[] accumulators = new Accumulator[factories.size()];
        for (int c = 0; c < accumulators.length; c++) {
            accumulators[c] = state == null ? factories.get(c).create() : read(factories.get(c), (byte[]) state.get(c));
        }
        if (frame.rows()) {
            for (Row row : rows) {
                Row kept = kept(time, row);
                for (int c = 0; c < accumulators.length; c++) {
                    accumulators[c].add(arguments(kept, c), time);
                }
                forward(key, row, results(accumulators), time);
            }
        } else {
            for (Row row : rows) {
                Row kept = kept(time, row);
                for (int c = 0; c < accumulators.length; c++) {
                    accumulators[c].add(arguments(kept, c), time);
                }
            }
            Object[] values = results(accumulators);
            rows.forEach(row -> forward(key, row, values, time));
        }
        Object[] next = new Object[accumulators.length];
        for (int c = 0; c < accumulators.length; c++) {
            next[c] = write(accumulators[c]);
        }
        return new Row(next);
    }

    @SuppressWarnings("unchecked")
    private Row bounded(Row key, Row state, List<Row> rows, long time) {
        List<Row> window = state == null ? new ArrayList<>() : new ArrayList<>((List<Row>) state.get(0));
        long preceding = frame.preceding().getAsLong();
        if (frame.rows()) {
            for (Row row : rows) {
                window.add(kept(time, row));
                while (window.size() > preceding + 1) {
                    window.remove(0);
                }
                forward(key, row, aggregate(window), time);
            }
            if (window.size() > preceding) {
                window.remove(0);
            }
        } else {
            for (Row row : rows) {
                window.add(kept(time, row));
            }
            window.removeIf(kept -> (Long) kept.get(0) < time - preceding);
            Object[] values = aggregate(window);
            rows.forEach(row -> forward(key, row, values, time));
        }
        return new Row(new Object[]{window});
    }

    private Object[] aggregate(List<Row> window) {
        Accumulator[] accumulators = new Accumulator[factories.size()];
        for (int c = 0; c < accumulators.length; c++) {
            accumulators[c] = factories.get(c).create();
            for (Row kept : window) {
                accumulators[c].add(arguments(kept, c), (Long) kept.get(0));
            }
        }
        return results(accumulators);
    }

    private static Object[] results(Accumulator[] accumulators) {
        Object[] values = new Object[accumulators.length];
        for (int c = 0; c < accumulators.length; c++) {
            values[c] = accumulators[c].result();
        }
        return values;
    }

    /** A row as the frame keeps it: its event time, then the argument columns. */
    private Row kept(long time, Row row) {
        Object[] values = new Object[keptColumns.length + 1];
        values[0] = time;
        for (int i = 0; i < keptColumns.length; i++) {
            values[i + 1] = row.get(keptColumns[i]);
        }
        return new Row(values);
    }

    private Object[] arguments(Row kept, int call) {
        Object[] arguments = new Object[callArguments[call].length];
        for (int a = 0; a < arguments.length; a++) {
            arguments[a] = kept.get(callArguments[call][a] + 1);
        }
        return arguments;
    }

    private void forward(Row key, Row row, Object[] values, long time) {
        Object[] out = java.util.Arrays.copyOf(row.toArray(), width + values.length);
        System.arraycopy(values, 0, out, width, values.length);
        context().forward(new Record<>(key, new Row(out), time));
    }

    private static byte[] write(Accumulator accumulator) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            accumulator.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Accumulator read(AccumulatorFactory factory, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return factory.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
