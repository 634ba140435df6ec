package dev.sluice.runtime.operator;

import dev.sluice.runtime.function.Accumulator;

/**
 * The accumulators of one group (and window), one per aggregate call in call order, and the net
 * number of input rows in the group ({@code rows}: adds minus retractions).
 *
 * <p>Never changed once built: Kafka Streams forwards the aggregate's old and new values together
 * ({@code Change(new, old)}), so an aggregator that changed the state it was handed would make the
 * old row equal the new one, and a downstream table aggregate would retract the wrong row.
 * {@link Aggregation} copies first (as ksqlDB's KudafAggregator does), except for a caller that owns
 * the state it hands over ({@link Aggregation#addInPlace}: read from its store for this record and
 * never forwarded as an old value). {@code rows == 0} is the initializer's empty group: it is never
 * a result row.
 */
public final class AggregateState {
    final Accumulator[] accumulators;
    final long rows;

    AggregateState(Accumulator[] accumulators, long rows) {
        this.accumulators = accumulators;
        this.rows = rows;
    }

    /** Whether no input row is left in the group (the initializer's state, or everything retracted). */
    public boolean isEmpty() {
        return rows <= 0;
    }
}
