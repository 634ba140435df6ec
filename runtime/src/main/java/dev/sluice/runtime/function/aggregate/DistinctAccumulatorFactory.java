package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code agg(DISTINCT ...)} for any aggregate: wraps the factory of the plain call. The state is
 * the set of distinct tuples of non-constant argument values (ORDER BY keys included, so
 * {@code ARRAY_AGG(DISTINCT x ORDER BY x)} deduplicates on x), each with the number of inputs that
 * carried it, so that retraction removes a tuple only when its last input goes. The result feeds a
 * fresh inner accumulator every distinct tuple once, in first-arrival order, so the inner function
 * applies its own rules (COUNT skips NULL, ARRAY_AGG sorts). Exact; the state grows with the
 * number of distinct tuples. The inner accumulator sees timestamp 0 for every tuple: event time
 * has no meaning for a set.
 */
public final class DistinctAccumulatorFactory implements AccumulatorFactory {
    private final AccumulatorFactory inner;
    private final List<SqlType> types;

    /**
     * @param inner     the factory of the plain (non-DISTINCT) call
     * @param arguments the call's argument expressions; the types of the non-constant ones type the
     *                  tuples the accumulator receives
     */
    public DistinctAccumulatorFactory(AccumulatorFactory inner, List<Expr> arguments) {
        this.inner = inner;
        this.types = arguments.stream().filter(e -> !Expr.isConstant(e)).map(Expr::type).toList();
    }

    /** The plain call's factory, which this one feeds each distinct tuple once. */
    public AccumulatorFactory inner() {
        return inner;
    }

    @Override
    public Accumulator create() {
        return new DistinctAccumulator(new LinkedHashMap<>());
    }

    @Override
    public Accumulator read(DataInput in) throws IOException {
        long n = StateIo.readVarLong(in);
        Map<Row, Long> counts = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            Row tuple = ValueCodec.readRow(in, types);
            counts.put(tuple, StateIo.readVarLong(in));
        }
        return new DistinctAccumulator(counts);
    }

    private final class DistinctAccumulator implements Accumulator {
        /** Insertion ordered: first arrival of each tuple. Row compares arrays deeply (BYTES too). */
        private final Map<Row, Long> counts;

        DistinctAccumulator(Map<Row, Long> counts) {
            this.counts = counts;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            counts.merge(Row.of(arguments), 1L, Long::sum);
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            Row tuple = Row.of(arguments);
            Long n = counts.get(tuple);
            if (n == null) {
                return;
            }
            if (n == 1) {
                counts.remove(tuple);
            } else {
                counts.put(tuple, n - 1);
            }
        }

        @Override
        public void merge(Accumulator other) {
            for (Map.Entry<Row, Long> e : ((DistinctAccumulator) other).counts.entrySet()) {
                counts.merge(e.getKey(), e.getValue(), Long::sum);
            }
        }

        @Override
        public Object result() {
            Accumulator fresh = inner.create();
            for (Row tuple : counts.keySet()) {
                fresh.add(tuple.toArray(), 0L);
            }
            return fresh.result();
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, counts.size());
            for (Map.Entry<Row, Long> e : counts.entrySet()) {
                ValueCodec.writeRow(out, types, e.getKey());
                StateIo.writeVarLong(out, e.getValue());
            }
        }
    }
}
