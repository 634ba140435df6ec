package dev.sluice.runtime.operator;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.SqlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The accumulator of a call whose values live in a store ({@link StoredMultiset}): it holds only
 * the call's latest result, which {@link Aggregation} sets from the store, so the state stays
 * small (one value, or TOPK's k) whatever the group holds. It is never fed rows itself.
 */
final class HeldResult implements Accumulator {
    private final SqlType type;
    private Object result;

    /** The result over no rows: NULL, or 0 for a distinct count. */
    private final Object empty;

    private HeldResult(SqlType type, Object result, Object empty) {
        this.type = type;
        this.result = result;
        this.empty = empty;
    }

    /** {@code empty}: the result over no rows (0 for a distinct count, else NULL). */
    static AccumulatorFactory factory(SqlType type, Object empty) {
        return new AccumulatorFactory() {
            @Override
            public Accumulator create() {
                return new HeldResult(type, empty, empty);
            }

            @Override
            public Accumulator read(DataInput in) throws IOException {
                return new HeldResult(type, ValueCodec.read(in, type), empty);
            }
        };
    }

    void set(Object result) {
        this.result = result;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        throw new UnsupportedOperationException("a held result is set from its store, not fed rows");
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    @Override
    public void retract(Object[] arguments, long timestamp) {
        throw new UnsupportedOperationException("a held result is set from its store, not fed rows");
    }

    @Override
    public void merge(Accumulator other) {
        // Session windows: merging one session into the initializer's state takes its result; when
        // several merge, SessionCollections computes the merged result, which replaces this one. The
        // initializer's result is the empty one (a distinct count's is 0, not NULL).
        if (java.util.Objects.equals(result, empty)) {
            result = ((HeldResult) other).result;
        }
    }

    @Override
    public Object result() {
        return result;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        ValueCodec.write(out, type, result);
    }
}
