package dev.sluice.runtime.function;

import java.io.DataOutput;
import java.io.IOException;

/**
 * The mutable state of one aggregate call for one group (and window).
 *
 * <p>Mutable, but only ever mutated on a fresh copy: the aggregation copies the state Kafka Streams
 * hands it before adding or retracting, because Kafka Streams forwards that same object as the old
 * value next to the new one. State is written compactly with {@link #write} (no JSON text), read back by
 * {@link AccumulatorFactory#read}; the enclosing state serde adds a format version.
 */
public interface Accumulator {

    /**
     * Adds one input. {@code arguments} are the evaluated non-constant arguments (NULLs included:
     * each function decides, e.g. COUNT(x) skips them); {@code timestamp} is the record's event
     * time (FIRST/LAST by event time use it).
     */
    void add(Object[] arguments, long timestamp);

    /** Whether {@link #retract} is supported (needed to aggregate a changelog, e.g. a table). */
    default boolean canRetract() {
        return false;
    }

    /** Removes one earlier input, for aggregations over tables. */
    default void retract(Object[] arguments, long timestamp) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot retract");
    }

    /** Folds {@code other} (same function, same call site) into this one: session windows merge. */
    void merge(Accumulator other);

    /** The current value in the representation of the declared return type. */
    Object result();

    void write(DataOutput out) throws IOException;
}
