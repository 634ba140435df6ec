package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;

/**
 * {@code ARRAY_AGG(c [ORDER BY ...])} / {@code COLLECT_LIST(c)} whose element {@code c} is a
 * constant (NULL included): every element is {@code c}, so the list is fully described by how many
 * rows reached the call, and the state is that count, O(1) whatever the group's size (state format
 * 19; older formats held the list). The result is the one {@link ArrayAggFunction}'s list gives:
 * NULL for no rows, else {@code c} count times (ORDER BY keys only order ties of equal elements).
 * Retraction counts down, never below zero, as the list ignored a retraction that matched no
 * element; merging adds the counts. A DISTINCT call wraps this as any other
 * ({@link DistinctAccumulatorFactory}), which then feeds it one row per distinct tuple.
 */
public final class ConstantArrayAgg implements AccumulatorFactory {
    private final Object constant;

    ConstantArrayAgg(Object constant) {
        this.constant = constant;
    }

    /** Whether {@code factory} (or the plain call a DISTINCT one wraps) keeps such a count. */
    public static boolean counts(AccumulatorFactory factory) {
        AccumulatorFactory plain = factory instanceof DistinctAccumulatorFactory d ? d.inner() : factory;
        return plain instanceof ConstantArrayAgg;
    }

    @Override
    public Accumulator create() {
        return new Count(0);
    }

    @Override
    public Accumulator read(DataInput in) throws IOException {
        return new Count(StateIo.readVarLong(in));
    }

    private final class Count implements Accumulator {
        private long rows;

        Count(long rows) {
            this.rows = rows;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            rows++;
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            if (rows > 0) {
                rows--;
            }
        }

        @Override
        public void merge(Accumulator other) {
            rows += ((Count) other).rows;
        }

        @Override
        public Object result() {
            if (rows == 0) {
                return null;
            }
            return Collections.unmodifiableList(new ArrayList<>(Collections.nCopies(Math.toIntExact(rows), constant)));
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, rows);
        }
    }
}
