package dev.sluice.runtime.plan;

import dev.sluice.serdes.row.Schema;

import java.util.List;

/**
 * An interval join of two streams keyed alike: a right row joins a left row with the same key when
 * {@code left.ts - beforeMs <= right.ts <= left.ts + afterMs} (either bound may be negative, not
 * their sum). {@code graceMs}: how long after a left row's interval has passed (in stream time) it
 * may still meet a late right row before an outer join pads it with NULLs.
 * Output value = left then right columns. Output timestamp: the left row's event time, the value of
 * column {@code leftRowtime} of the output (or, for a right row padded by a FULL join, column
 * {@code rightRowtime}); -1 keeps Kafka Streams' choice, the later of the two rows' timestamps.
 *
 * <p>{@code regular}: the query gave no time bound (Flink's regular join); the bounds are the state
 * TTL ({@code beforeMs} = {@code afterMs}; 0 when rows are kept for good). A regular LEFT/FULL join
 * emits a NULL-padded row at once and deletes it when a match arrives: its result is a table keyed
 * by the join key and the two rows' identities ({@code left_row}, {@code right_row}; -1 for a
 * missing side), not a stream.
 *
 * <p>{@code timing}: when an outer row is padded and what a record after its window's close does
 * (Flink drops it, Kafka Streams and so ksqlDB join or pad it); see {@link JoinTiming}.
 */
public record StreamStreamJoinStep(String name, Step left, Step right, JoinType type, long beforeMs,
                                   long afterMs, long graceMs, int leftRowtime, int rightRowtime, Schema schema,
                                   boolean regular, JoinTiming timing)
        implements Step {
    public StreamStreamJoinStep(String name, Step left, Step right, JoinType type, long beforeMs, long afterMs,
                                long graceMs, int leftRowtime, int rightRowtime, Schema schema, boolean regular) {
        this(name, left, right, type, beforeMs, afterMs, graceMs, leftRowtime, rightRowtime, schema, regular,
                JoinTiming.DROP_LATE);
    }

    public StreamStreamJoinStep(String name, Step left, Step right, JoinType type, long beforeMs, long afterMs,
                                long graceMs, int leftRowtime, int rightRowtime, Schema schema) {
        this(name, left, right, type, beforeMs, afterMs, graceMs, leftRowtime, rightRowtime, schema, false,
                JoinTiming.DROP_LATE);
    }

    /**
     * A regular join's bounds when no state TTL is set and it is INNER: a thousand years, far from
     * overflowing a timestamp (kept as the bounds so that plans, and the names of shared steps
     * hashed from them, stay as they were when Kafka Streams' window join ran it).
     */
    public static final long FOREVER_MS = 1000L * 365 * 24 * 3600 * 1000;

    /** A regular join's state TTL in ms; 0 when its rows are kept for good. */
    public long stateTtlMs() {
        return !regular || beforeMs >= FOREVER_MS ? 0 : beforeMs;
    }

    /**
     * A regular INNER join without a state TTL whose left input is another one: keyed by one join
     * key, the two can run as one three-way operator that does not store the inner join's rows
     * (the builder does so when nothing else reads the inner join).
     */
    public boolean joinsOnWithLeft() {
        return plainRegularInner() && left instanceof StreamStreamJoinStep inner && inner.plainRegularInner();
    }

    private boolean plainRegularInner() {
        return regular && type == JoinType.INNER && stateTtlMs() == 0;
    }

    /** A regular outer join: its padded rows are retracted, so it emits a changelog. */
    public boolean retracting() {
        return regular && type != JoinType.INNER;
    }

    @Override
    public Schema keySchema() {
        if (!retracting()) {
            return left.keySchema();
        }
        java.util.List<dev.sluice.serdes.row.Column> columns = new java.util.ArrayList<>(left.keySchema().columns());
        columns.add(new dev.sluice.serdes.row.Column("left_row", dev.sluice.serdes.row.ScalarType.BIGINT));
        columns.add(new dev.sluice.serdes.row.Column("right_row", dev.sluice.serdes.row.ScalarType.BIGINT));
        return new Schema(columns);
    }

    @Override
    public Shape shape() {
        return retracting() ? Shape.TABLE : Shape.STREAM;
    }

    @Override
    public List<Step> inputs() {
        return List.of(left, right);
    }

    @Override
    public Step withInputs(List<Step> inputs) {
        Inputs.two(this, inputs);
        return new StreamStreamJoinStep(name, inputs.get(0), inputs.get(1), type, beforeMs, afterMs, graceMs,
                leftRowtime, rightRowtime, schema, regular, timing);
    }

    @Override
    public Step withName(String name) {
        return new StreamStreamJoinStep(name, left, right, type, beforeMs, afterMs, graceMs, leftRowtime, rightRowtime,
                schema, regular, timing);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visitStreamStreamJoin(this);
    }
}
