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

    private static final Set<String> FUNCTIONS = Set.of("PERCENTILE_CONT", "PERCENTILE_DISC", "TOPK", "TOPKDISTINCT",
            "COUNT_DISTINCT", "ATTR");
    /** Over a table only: over a stream these keep a bounded sketch, over a table an exact count or multiset. */
    private static final Set<String> CHANGELOG_FUNCTIONS = Set.of("APPROX_COUNT_DISTINCT", "APPROX_PERCENTILE");
    /** The functions that state format 7 added to the store (6 had only percentiles and TOPK). */
    private static final Set<String> FORMAT_7 = Set.of("COUNT_DISTINCT", "ATTR", "APPROX_COUNT_DISTINCT",
            "APPROX_PERCENTILE");

    /**
     * The functions that only ask whether a value is there: over a type without an ordered
     * encoding they key their values by {@link EqualityKeyBytes} (state format 15).
     */
    private static final Set<String> EQUALITY_ONLY = Set.of("COUNT_DISTINCT", "ATTR", "APPROX_COUNT_DISTINCT");

    private final String function;
    private final SqlType type;
    private final BigDecimal fraction;
    private final long k;
    /** COUNT_DISTINCT, ATTR, APPROX_COUNT_DISTINCT: distinct values counted, no order needed; else null. */
    private final DistinctCounts distinct;
    /**
     * {@code agg(DISTINCT x)} over a table: each value weighs 1 however many rows carry it, and
     * only a value's first arrival and last departure reach the percentile or TOPK.
     */
    private final boolean distinctValues;
    /**
     * {@code agg(DISTINCT x)} over a stream (append-only): a value's first arrival in its group (or
     * window) is all that counts, so the store records presence (count 1) and a repeated value
     * costs one point read and no write. This replaces {@link DistinctValues}' mark for the call.
     */
    private final boolean firstArrivals;

    private StoredMultiset(String function, SqlType type, BigDecimal fraction, long k, boolean distinctValues,
                           boolean firstArrivals) {
        this.function = function;
        this.distinctValues = distinctValues;
        this.firstArrivals = firstArrivals;
        this.type = type;
        this.fraction = fraction;
        this.k = k;
        this.distinct = switch (function) {
            case "COUNT_DISTINCT", "APPROX_COUNT_DISTINCT" -> new DistinctCounts(false);
            case "ATTR" -> new DistinctCounts(true);
            default -> null;
        };
    }

    /**
     * The store-kept form of {@code call}, when it has one: one of the functions above (DISTINCT or
     * not) over one value whose type has an order-preserving encoding.
     */
    public static Optional<StoredMultiset> of(AggregateCall call, List<Expr> variable) {
        return of(call, variable, false);
    }

    /**
     * As {@link #of(AggregateCall, List)}; {@code changelog}: the GROUP BY is over a table, where
     * APPROX_COUNT_DISTINCT and APPROX_PERCENTILE are exact and keep their values here too.
     */
    public static Optional<StoredMultiset> of(AggregateCall call, List<Expr> variable, boolean changelog) {
        return of(call, variable, changelog, false);
    }

    /**
     * The store-kept form of {@code call} in a SESSION window aggregate ({@link SessionCollections}):
     * as over a stream, and also for {@code agg(DISTINCT x)}, whose values then weigh 1 each however
     * many rows of the session carry them (a value two merged sessions held counts once). Since
     * state format 17 also APPROX_PERCENTILE(DISTINCT x), exact as over a table (KLL's rank rule;
     * before, its set in the state fed a sketch on every row): a sketch cannot drop a value two
     * merged sessions held, the store can.
     */
    public static Optional<StoredMultiset> ofSession(AggregateCall call, List<Expr> variable) {
        boolean exactPercentile = call.distinct() && call.function().equalsIgnoreCase("APPROX_PERCENTILE");
        return build(call, variable, exactPercentile, true, false);
    }

    /**
     * As {@link #of(AggregateCall, List, boolean)}; {@code firstArrivals}: over a stream, a DISTINCT
     * call is kept here too, counting its values' first arrivals (a GROUP BY without window or with
     * a time window: state format 13; sessions use {@link #ofSession}).
     */
    public static Optional<StoredMultiset> of(AggregateCall call, List<Expr> variable, boolean changelog,
                                              boolean firstArrivals) {
        return build(call, variable, changelog, firstArrivals, firstArrivals && call.distinct() && !changelog);
    }

    /**
     * {@code distinctAccepted}: a stream's {@code agg(DISTINCT x)} is kept here (over a table it
     * always is); {@code firstArrivals}: its values are then marked present once (a stream) rather
     * than counted by the rows that carry them (a table, a session, whose merges move counts).
     */
    private static Optional<StoredMultiset> build(AggregateCall call, List<Expr> variable, boolean changelog,
                                                  boolean distinctAccepted, boolean firstArrivals) {
        String name = call.function().toUpperCase(java.util.Locale.ROOT);
        if (!(FUNCTIONS.contains(name) || changelog && CHANGELOG_FUNCTIONS.contains(name))
                || call.distinct() && !changelog && !distinctAccepted || variable.size() != 1
                || !(OrderedValueBytes.supports(variable.get(0).type())
                || EQUALITY_ONLY.contains(name) && EqualityKeyBytes.supports(variable.get(0).type()))) {
            return Optional.empty();
        }
        SqlType type = variable.get(0).type();
        boolean distinct = call.distinct();
        if (name.startsWith("PERCENTILE") || name.equals("APPROX_PERCENTILE")) {
            return Optional.of(new StoredMultiset(name, type, PercentileRank.fraction(name, call.arguments()), 0, distinct,
                    firstArrivals));
        }
        if (!name.startsWith("TOPK")) {
            return Optional.of(new StoredMultiset(name, type, null, 0, distinct, firstArrivals));
        }
        long k = ((Number) ((Expr.Literal) call.arguments().get(1)).value()).longValue();
        return Optional.of(new StoredMultiset(name, type, null, k, distinct, firstArrivals));
    }

    /**
     * Counts {@code value} in or out ({@code delta} 1 or -1) of call {@code call} of the group
     * {@code values} is set to, and returns the call's result after it, or {@link #UNCHANGED}.
     */
    public Object update(ValueCounts values, int call, Object value, int delta) {
        if (distinct != null) {
            return distinct.update(values, call, value, delta);
        }
        if (value == null || approximate() && value instanceof Double d && d.isNaN()) {
            return UNCHANGED; // KLL skips NaN: so does its exact form
        }
        if (firstArrivals) {
            // append-only: a value seen before changes nothing, and needs no write
            return values.addIfAbsent(call, new Object[] {value}) ? result(values, call, value, delta) : UNCHANGED;
        }
        long after = values.count(call, new Object[] {value}, delta);
        if (after < 0 || distinctValues && after != (delta > 0 ? 1 : 0)) {
            return UNCHANGED; // absent, or (DISTINCT) a value already there or still there
        }
        return result(values, call, value, delta);
    }

    /** The result after {@code value} was counted in or out ({@code delta}). */
    private Object result(ValueCounts values, int call, Object value, int delta) {
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
            long times = function.equals("TOPK") ? weight(c) : 1;
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
     * Session windows: adds the values of merged-away sessions ({@code moved}, value and count) to
     * the surviving session's counts, which {@code values} is set to, and adjusts the call's result
     * by them. {@code movedNotes}: the merged-away sessions' notes of this call (COUNT_DISTINCT's
     * and ATTR's NULL rows). TOPK reads its k largest again; a percentile's cursor keeps its value
     * and counts the moved values below and at it (a DISTINCT call: only values new to the
     * survivor, each weighing 1), then walks to the new rank: O(moved) seeks, never a walk of the
     * survivor (unless it had no cursor, i.e. no value: then only the moved ones).
     */
    public Object absorb(ValueCounts values, int call, List<ValueCounts.Counted> moved, List<byte[]> movedNotes) {
        if (distinct != null) {
            return distinct.absorb(values, call, moved, movedNotes);
        }
        // how much each moved value adds to n: its count, or (DISTINCT) 1 when it is new to the survivor
        long[] added = new long[moved.size()];
        for (int i = 0; i < moved.size(); i++) {
            ValueCounts.Counted c = moved.get(i);
            long after = values.count(call, new Object[] {c.value()}, Math.toIntExact(c.count()));
            added[i] = !distinctValues ? c.count() : after == c.count() ? 1 : 0;
        }
        if (!function.startsWith("PERCENTILE") && !approximate()) {
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
        for (int i = 0; i < moved.size(); i++) {
            int side = Arrays.compareUnsigned(ordered(moved.get(i).value()), cursor.valueBytes);
            n += added[i];
            if (side < 0) {
                below += added[i];
            } else if (side == 0) {
                count += added[i];
            }
        }
        return settle(values, call, new Cursor(n, below, count, cursor.value, cursor.valueBytes), continuous);
    }

    /** Moves the cursor to the rank the percentile reads, writes it back and returns the result. */
    private Object settle(ValueCounts values, int call, Cursor cursor, boolean continuous) {
        long target = position(continuous, cursor.n);
        while (cursor != null && target < cursor.below) {
            ValueCounts.Counted previous = values.neighbour(call, cursor.value, false);
            cursor = previous == null ? null : new Cursor(cursor.n, cursor.below - weight(previous), weight(previous),
                    previous.value(), ordered(previous.value()));
        }
        while (cursor != null && target >= cursor.below + cursor.count) {
            ValueCounts.Counted next = values.neighbour(call, cursor.value, true);
            cursor = next == null ? null : new Cursor(cursor.n, cursor.below + cursor.count, weight(next), next.value(),
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
        java.util.function.LongFunction<Object> valueAt =
                position -> position < at.below + at.count ? at.value : values.neighbour(call, at.value, true).value();
        if (approximate()) {
            return ((Number) valueAt.apply(position(false, at.n))).doubleValue();
        }
        return PercentileRank.result(fraction, continuous, at.n, valueAt);
    }

    /** How many of the values a counted value is: its count, or 1 for a DISTINCT call. */
    private long weight(ValueCounts.Counted counted) {
        return distinctValues ? 1 : counted.count();
    }

    private boolean approximate() {
        return function.equals("APPROX_PERCENTILE");
    }

    /**
     * The 0-based position the percentile reads among {@code n > 0} values. APPROX_PERCENTILE over a
     * table is exact, with the rank its in-state multiset used (a double, KLL's INCLUSIVE rule).
     */
    private long position(boolean continuous, long n) {
        if (approximate()) {
            long k = Math.max(1, (long) Math.ceil(fraction.doubleValue() * n - 1e-9));
            return Math.min(k, n) - 1;
        }
        return PercentileRank.position(fraction, continuous, n);
    }

    /**
     * Whether the store keys this call's values by {@link EqualityKeyBytes} (no ordered encoding
     * for its type; only COUNT_DISTINCT, ATTR and APPROX_COUNT_DISTINCT, which need no order).
     */
    public boolean keyedByEquality() {
        return !OrderedValueBytes.supports(type);
    }

    /**
     * Whether some of {@code calls} ({@code changelog}: over a table) would key its values by
     * equality in a store of this kind ({@link #keyedByEquality}, state format 15), sessions
     * included. {@code sluice diff} and the start-up guard compare it.
     */
    public static boolean keyedByEquality(List<AggregateCall> calls, boolean changelog) {
        if (calls.size() > Byte.MAX_VALUE) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            // accepted by every path: a stream's (first arrivals), a table's, a session's
            if (build(call, variable, changelog, true, false).map(StoredMultiset::keyedByEquality).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is a DISTINCT call over a stream, which counts only first arrivals (state format 13). */
    boolean firstArrivals() {
        return firstArrivals;
    }

    /** The call's result over no rows (what {@link HeldResult} starts with): 0 for the distinct counts, else NULL. */
    public Object empty() {
        return distinct == null ? null : distinct.empty();
    }

    /**
     * The aggregate state's format version for these store-kept calls (null entries skipped): 7
     * when one of the functions format 7 added is among them, else 6.
     */
    static byte stateVersion(StoredMultiset[] calls) {
        for (StoredMultiset call : calls) {
            if (call != null && call.firstArrivals) {
                return AggregateStateSerde.VERSION_DISTINCT_BESIDE;
            }
        }
        for (StoredMultiset call : calls) {
            if (call != null && (FORMAT_7.contains(call.function) || call.distinctValues)) {
                return AggregateStateSerde.VERSION_COUNTS_IN_STORE;
            }
        }
        return AggregateStateSerde.VERSION_MULTISETS_IN_STORE;
    }

    /**
     * Whether a GROUP BY of {@code calls} ({@code changelog}: over a table; windowed by {@code window})
     * keeps COUNT_DISTINCT's, ATTR's or an APPROX_* call's values here (state format 7). Session
     * windows merge and keep them in the state. {@code sluice diff} and the start-up guard compare it.
     */
    public static boolean countsInStore(List<AggregateCall> calls, boolean changelog,
                                        Optional<dev.sluice.runtime.plan.WindowSpec> window) {
        if (calls.size() > Byte.MAX_VALUE
                || window.map(w -> w.kind() == dev.sluice.runtime.plan.WindowSpec.Kind.SESSION).orElse(false)) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            // a stream's DISTINCT calls are format 13's (firstArrivals), not 7's
            if ((FORMAT_7.contains(call.function().toUpperCase(java.util.Locale.ROOT)) || call.distinct())
                    && of(call, variable, changelog).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private Cursor rebuild(ValueCounts values, int call, boolean continuous) {
        List<ValueCounts.Counted> all = values.all(call);
        long n = all.stream().mapToLong(this::weight).sum();
        if (n == 0) {
            return null;
        }
        long target = position(continuous, n);
        long below = 0;
        for (ValueCounts.Counted c : all) {
            if (target < below + weight(c)) {
                return new Cursor(n, below, weight(c), c.value(), ordered(c.value()));
            }
            below += weight(c);
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
