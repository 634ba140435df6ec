package dev.sluice.bench;

/**
 * A Java aggregate (docs/udf.md) that can retract, for {@link AggregateScaling}'s
 * {@code distinct-retracting-table} shape: the sum of its values, as a user would write one.
 */
public final class RetractingSum {
    /** The accumulator, kept as JSON in the state. */
    public static final class Acc {
        public long sum;
    }

    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, long value) {
        acc.sum += value;
    }

    public void retract(Acc acc, long value) {
        acc.sum -= value;
    }

    public long getValue(Acc acc) {
        return acc.sum;
    }
}
