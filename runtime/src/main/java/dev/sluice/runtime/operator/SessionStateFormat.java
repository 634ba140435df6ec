package dev.sluice.runtime.operator;

import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.WindowSpec;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which state format a SESSION window aggregate writes: 12
 * ({@link AggregateStateSerde#VERSION_SESSION_DISTINCT_IN_STORE}) when one of its calls keeps in a
 * store what state formats up to 9 kept in the session's state, else what it wrote before (8 when
 * {@link SessionCollections} keeps its percentiles, TOPK or ARRAY_AGG, else the aggregation's own).
 * Format 12 moved out of the state:
 * <ul>
 *   <li>COUNT_DISTINCT and ATTR (their value → count map), and DISTINCT percentiles, TOPK,
 *       COUNT_DISTINCT and ATTR (their set): now in {@link SessionCollections}' store;</li>
 *   <li>DISTINCT calls that {@link SessionDistinctValues} keeps since format 12 (MIN, MAX,
 *       COUNT_IF, BOOL_AND, BOOL_OR, and COUNT/SUM/AVG of a query that also had one of those or a
 *       set kept in the state): a plain accumulator where the older state held the set.</li>
 * </ul>
 * Format 17 ({@link AggregateStateSerde#VERSION_SESSION_DISTINCT_ROUNDING}) wins over it: a
 * STDDEV/VAR_*, CORRELATION or STDDEV_SAMPLE (DISTINCT) kept in {@link SessionDistinctValues}' store
 * (they retract a merged copy up to rounding), an APPROX_PERCENTILE(DISTINCT) counted in
 * {@link SessionCollections}' store, or an APPROX_COUNT_DISTINCT(DISTINCT) that is its plain sketch,
 * where older formats held the set.
 * A query whose layout did not change keeps its format, so its state stays readable.
 */
public final class SessionStateFormat {
    private static final Set<String> COUNTS = Set.of("COUNT_DISTINCT", "ATTR");

    private SessionStateFormat() {
    }

    /** Whether a SESSION aggregate of {@code calls} writes state format 12 (not 17). */
    public static boolean applies(List<AggregateCall> calls) {
        return !appliesFormat17(calls) && appliesFormat12(calls);
    }

    /** Whether a SESSION aggregate of {@code calls} writes state format 17. */
    public static boolean appliesFormat17(List<AggregateCall> calls) {
        boolean distinctStore = SessionDistinctValues.applies(calls);
        return calls.stream().anyMatch(c -> SessionDistinctValues.dropsDistinct(c)
                || distinctStore && SessionDistinctValues.keptSinceFormat17(c) && SessionDistinctValues.keeps(c)
                || c.distinct() && c.function().equalsIgnoreCase("APPROX_PERCENTILE") && calls.size() <= Byte.MAX_VALUE
                && SessionCollections.keeps(c));
    }

    /** As {@link #appliesFormat17(List)} for a step (for {@code sluice diff} and the start-up guard). */
    public static boolean appliesFormat17(AggregateStep step) {
        return session(step) && appliesFormat17(step.calls());
    }

    /** The state format a SESSION aggregate of {@code calls} writes: 17, 12, or 0 for the aggregation's own. */
    public static byte version(List<AggregateCall> calls) {
        return appliesFormat17(calls) ? AggregateStateSerde.VERSION_SESSION_DISTINCT_ROUNDING
                : appliesFormat12(calls) ? AggregateStateSerde.VERSION_SESSION_DISTINCT_IN_STORE : 0;
    }

    private static boolean appliesFormat12(List<AggregateCall> calls) {
        boolean collections = calls.size() <= Byte.MAX_VALUE && calls.stream().anyMatch(c -> SessionCollections.keeps(c)
                && (c.distinct() || COUNTS.contains(c.function().toUpperCase(Locale.ROOT))));
        boolean distinct = SessionDistinctValues.applies(calls) && !SessionDistinctValues.appliedBeforeFormat12(calls);
        return collections || distinct;
    }

    /** As {@link #applies(List)} for a step (for {@code sluice diff} and the start-up guard). */
    public static boolean applies(AggregateStep step) {
        return session(step) && applies(step.calls());
    }

    /**
     * Whether a SESSION aggregate of {@code calls} writes state format 16: a COLLECT_SET, HISTOGRAM,
     * ARRAY_AGG with ORDER BY or DISTINCT, or FIRST/LAST with DISTINCT keeps its elements in
     * {@link SessionOrderedElements} (a row count in the state, where older formats held the list,
     * the value → count map or the set). It wins over 17, 12 and 8.
     */
    public static boolean format16(List<AggregateCall> calls) {
        return SessionOrderedElements.keepsAny(calls);
    }

    private static boolean session(AggregateStep step) {
        return step.kind() != AggregateStep.Kind.TABLE
                && step.window().map(w -> w.kind() == WindowSpec.Kind.SESSION).orElse(false);
    }

    /**
     * The serde of a session aggregate's states; {@code version}: {@link #version}'s. 15 and 16 are
     * tested first: every one of 15, 16 and 17 is newer than any layout the same query had before, so
     * the first that applies tags the state (the calls' factories decide the layout).
     */
    static AggregateStateSerde serde(Aggregation aggregation, boolean collections, byte version) {
        if (aggregation.keysByEquality()) {
            // COUNT_DISTINCT / ATTR over a type without an ordered encoding: in the store since 15
            return aggregation.serde(AggregateStateSerde.VERSION_EQUALITY_KEYS);
        }
        if (collections && aggregation.keepsSessionElements()) {
            return aggregation.serde(AggregateStateSerde.VERSION_SESSION_ORDERED_IN_STORE);
        }
        if (version != 0) {
            return aggregation.serde(version);
        }
        return collections ? aggregation.serde(AggregateStateSerde.VERSION_SESSION_COLLECTIONS_IN_STORE)
                : aggregation.serde();
    }
}
