package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.aggregate.PercentileRank;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.row.SqlType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PERCENTILE_CONT/DISC and TOPK/TOPKDISTINCT over a multiset kept in {@link ValueCounts}' store
 * (value in SQL order → count) instead of in the aggregate's value: one record is one point read and
 * write of its value's count, and the call's result is computed right then and held in the state
 * ({@link HeldResult}), so emitting a row reads no store.
 *
 * <p>TOPK reads its k largest values by one reverse range (k entries). A percentile keeps a cursor
 * beside the values ({@link ValueCounts#note}): the value at the rank it reads, the number of values
 * below it and its count, as a sliding median keeps its middle. One record moves the rank by at
 * most one value, so the cursor moves by at most one neighbour (a range seek), and CONT reads at
 * most one more neighbour to interpolate: O(log n) per record, never a walk of the group.
 */
public final class StoredMultiset {
    /** What an update returns when the call's result did not change (a NULL, an absent value retracted). */
    public static final Object UNCHANGED = new Object() {
        @Override
        public String toString() {
            return "UNCHANGED";
        }
    };

    private static final Set<String> FUNCTIONS = Set.of("PERCENTILE_CONT", "PERCENTILE_DISC", "TOPK", "TOPKDISTINCT");

    private final String function;
    private final SqlType type;
    private final BigDecimal fraction;
    private final long k;

    private StoredMultiset(String function, SqlType type, BigDecimal fraction, long k) {
        this.function = function;
        this.type = type;
        this.fraction = fraction;
        this.k = k;
    }

    /**
     * The store-kept form of {@code call}, when it has one: one of the functions above, not
     * DISTINCT, over one value whose type has an order-preserving encoding.
     */
    public static Optional<StoredMultiset> of(AggregateCall call, List<Expr> variable) {
        String name = call.function().toUpperCase(java.util.Locale.ROOT);
        if (!FUNCTIONS.contains(name) || call.distinct() || variable.size() != 1
                || !OrderedValueBytes.supports(variable.get(0).type())) {
            return Optional.empty();
        }
        SqlType type = variable.get(0).type();
        if (name.startsWith("PERCENTILE")) {
            return Optional.of(new StoredMultiset(name, type, PercentileRank.fraction(name, call.arguments()), 0));
        }
        long k = ((Number) ((Expr.Literal) call.arguments().get(1)).value()).longValue();
        return Optional.of(new StoredMultiset(name, type, null, k));
    }

    /**
     * Counts {@code value} in or out ({@code delta} 1 or -1) of call {@code call} of the group
     * {@code values} is set to, and returns the call's result after it, or {@link #UNCHANGED}.
     */
    public Object update(ValueCounts values, int call, Object value, int delta) {
        if (value == null) {
            return UNCHANGED;
        }
        long after = values.count(call, new Object[] {value}, delta);
        if (after < 0) {
            return UNCHANGED;
        }
        return switch (function) {
            case "TOPK", "TOPKDISTINCT" -> top(values, call);
            default -> percentile(values, call, value, delta);
        };
    }

    private Object top(ValueCounts values, int call) {
        List<ValueCounts.Counted> largest = values.largest(call, k);
        if (largest.isEmpty()) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (ValueCounts.Counted c : largest) {
            long times = function.equals("TOPK") ? c.count() : 1;
            for (long i = 0; i < times && out.size() < k; i++) {
                out.add(c.value());
            }
        }
        return Collections.unmodifiableList(out);
    }

    private Object percentile(ValueCounts values, int call, Object value, int delta) {
        byte[] note = values.note(call);
        boolean continuous = function.equals("PERCENTILE_CONT");
        Cursor cursor;
        if (note == null) {
            // a group's first value (one entry to read), or a cursor lost while its counts were not
            cursor = rebuild(values, call, continuous);
            if (cursor == null) {
                return null;
            }
        } else {
            cursor = Cursor.read(note, type);
            long n = cursor.n + delta;
            if (n == 0) {
                values.note(call, null);
                return null;
            }
            int side = Arrays.compareUnsigned(ordered(value), cursor.valueBytes);
            cursor = new Cursor(n, side < 0 ? cursor.below + delta : cursor.below,
                    side == 0 ? cursor.count + delta : cursor.count, cursor.value, cursor.valueBytes);
        }
        return settle(values, call, cursor, continuous);
    }

    /**
     * Session windows: the values of merged-away sessions ({@code moved}, value and count) were
     * just added to the surviving session's counts, which {@code values} is set to; adjusts the
     * call's result by them. TOPK reads its k largest again; a percentile's cursor keeps its value
     * and counts the moved values below and at it, then walks to the new rank: O(moved) seeks, never
     * a walk of the survivor (unless it had no cursor, i.e. no value: then only the moved ones).
     */
    public Object absorb(ValueCounts values, int call, List<ValueCounts.Counted> moved) {
        for (ValueCounts.Counted c : moved) {
            values.count(call, new Object[] {c.value()}, Math.toIntExact(c.count()));
        }
        if (!function.startsWith("PERCENTILE")) {
            return top(values, call);
        }
        boolean continuous = function.equals("PERCENTILE_CONT");
        byte[] note = values.note(call);
        if (note == null) {
            Cursor cursor = rebuild(values, call, continuous);
            return cursor == null ? null : settle(values, call, cursor, continuous);
        }
        Cursor cursor = Cursor.read(note, type);
        long n = cursor.n;
        long below = cursor.below;
        long count = cursor.count;
        for (ValueCounts.Counted c : moved) {
            int side = Arrays.compareUnsigned(ordered(c.value()), cursor.valueBytes);
            n += c.count();
            if (side < 0) {
                below += c.count();
            } else if (side == 0) {
                count += c.count();
            }
        }
        return settle(values, call, new Cursor(n, below, count, cursor.value, cursor.valueBytes), continuous);
    }

    /** Moves the cursor to the rank the percentile reads, writes it back and returns the result. */
    private Object settle(ValueCounts values, int call, Cursor cursor, boolean continuous) {
        long target = PercentileRank.position(fraction, continuous, cursor.n);
        while (cursor != null && target < cursor.below) {
            ValueCounts.Counted previous = values.neighbour(call, cursor.value, false);
            cursor = previous == null ? null : new Cursor(cursor.n, cursor.below - previous.count(), previous.count(),
                    previous.value(), ordered(previous.value()));
        }
        while (cursor != null && target >= cursor.below + cursor.count) {
            ValueCounts.Counted next = values.neighbour(call, cursor.value, true);
            cursor = next == null ? null : new Cursor(cursor.n, cursor.below + cursor.count, next.count(), next.value(),
                    ordered(next.value()));
        }
        if (cursor == null) {
            // the cursor disagrees with the counts (state restored from changelogs cut at different
            // points, as at-least-once can leave them): rebuild it by one walk of the values
            cursor = rebuild(values, call, continuous);
            if (cursor == null) {
                values.note(call, null);
                return null;
            }
        }
        values.note(call, cursor.write());
        Cursor at = cursor;
        return PercentileRank.result(fraction, continuous, at.n,
                position -> position < at.below + at.count ? at.value : values.neighbour(call, at.value, true).value());
    }

    private Cursor rebuild(ValueCounts values, int call, boolean continuous) {
        List<ValueCounts.Counted> all = values.all(call);
        long n = all.stream().mapToLong(ValueCounts.Counted::count).sum();
        if (n == 0) {
            return null;
        }
        long target = PercentileRank.position(fraction, continuous, n);
        long below = 0;
        for (ValueCounts.Counted c : all) {
            if (target < below + c.count()) {
                return new Cursor(n, below, c.count(), c.value(), ordered(c.value()));
            }
            below += c.count();
        }
        throw new IllegalStateException("rank " + target + " beyond " + n + " values");
    }

    private byte[] ordered(Object value) {
        ByteArrayDataOutput out = new ByteArrayDataOutput(16);
        OrderedValueBytes.write(out, type, value);
        return out.toByteArray();
    }

    /** n values in all; {@code below} of them are smaller than {@code value}, which {@code count} carry. */
    private record Cursor(long n, long below, long count, Object value, byte[] valueBytes) {
        byte[] write() {
            return ByteBuffer.allocate(3 * Long.BYTES + valueBytes.length).putLong(n).putLong(below).putLong(count)
                    .put(valueBytes).array();
        }

        static Cursor read(byte[] bytes, SqlType type) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long n = in.getLong();
            long below = in.getLong();
            long count = in.getLong();
            byte[] valueBytes = Arrays.copyOfRange(bytes, 3 * Long.BYTES, bytes.length);
            return new Cursor(n, below, count, OrderedValueBytes.read(bytes, 3 * Long.BYTES, type), valueBytes);
        }
    }
}
