package dev.sluice.runtime.operator;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What an ARRAY_AGG call keeps in the aggregate's value when its elements are in
 * {@link ListElements}' (or {@link TableElements}') store: only how many there are, so that reading and rewriting the value
 * costs the same for the thousandth element as for the first. Its result is a placeholder (the
 * count, or NULL for none) that the window's result processor replaces with the elements read
 * from the store. Over a stream it only adds, and SESSION windows merge counts by adding them
 * ({@link SessionCollections} moves the elements); over a table ({@link TableElements}) a
 * retraction counts one element out.
 */
final class ElementCount implements Accumulator {
    static final AccumulatorFactory FACTORY = new AccumulatorFactory() {
        @Override
        public Accumulator create() {
            return new ElementCount(0);
        }

        @Override
        public Accumulator read(DataInput in) throws IOException {
            return new ElementCount(in.readLong());
        }
    };

    private long count;

    private ElementCount(long count) {
        this.count = count;
    }

    @Override
    public void add(Object[] arguments, long timestamp) {
        count++;
    }

    @Override
    public boolean canRetract() {
        return true;
    }

    /** Over a table ({@link TableElements}): a row's element left the group. */
    @Override
    public void retract(Object[] arguments, long timestamp) {
        count--;
    }

    @Override
    public void merge(Accumulator other) {
        count += ((ElementCount) other).count;
    }

    @Override
    public Object result() {
        return count == 0 ? null : count;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeLong(count);
    }
}
