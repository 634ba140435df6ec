package dev.sluice.runtime.operator;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry;
import dev.sluice.runtime.plan.AggregateCall;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Over a table, the DISTINCT calls that keep value → rows in {@code <step>-values-store}
 * ({@link ValueCounts}) and only the function's plain accumulator in the state, fed a value's first
 * arrival and retracting its last departure ({@link Aggregation.ValuesKept#DISTINCT_IN_STORE}): one
 * point read and write per record and call, whatever the group's number of distinct values, where
 * a value → count map in the state was rewritten whole on every record.
 *
 * <p>The rule is the function's, not a list: every function whose plain accumulator can retract
 * takes this path, a Java aggregate with a {@code retract} method as well as ksqlDB's STDDEV_SAMPLE
 * or SUM_LIST. Functions whose plain accumulator cannot retract keep their values elsewhere (MIN/MAX
 * the extreme beside the store, FIRST/LAST, APPROX_*: their own stores), and a table refuses a call
 * that cannot retract at all. Collections are left out: their values are the result itself, and
 * their DISTINCT forms have stores of their own ({@link StoredMultiset}, {@link TableElements});
 * where those do not apply (an ORDER BY key that is a constant) the collection stays in the value.
 *
 * <p>The state format tells the layouts apart: COUNT/SUM/AVG moved in format 4, STDDEV/VAR_*,
 * CORRELATION, COUNT_IF and BOOL_AND/OR in 13, every other function in 20 (before, its value → count
 * map was in the state, a layout the same query's older state still has).
 */
public final class TableDistinctCalls {
    /** The functions whose DISTINCT form moved in state format 4 (by registered name). */
    private static final Set<String> FORMAT_4 = Set.of("COUNT", "SUM", "AVG");
    /** Those that moved in state format 13. */
    private static final Set<String> FORMAT_13 = Set.of("STDDEV_SAMP", "STDDEV_POP", "VAR_SAMP", "VAR_POP",
            "CORRELATION", "COUNT_IF", "BOOL_AND", "BOOL_OR");
    /** Collections, whose DISTINCT form another store keeps or that keep it in the value (see above). */
    private static final Set<String> COLLECTIONS = Set.of("ARRAY_AGG", "COLLECT_SET", "HISTOGRAM", "TOPK",
            "TOPKDISTINCT", "COUNT_DISTINCT", "ATTR", "PERCENTILE_CONT", "PERCENTILE_DISC", "APPROX_COUNT_DISTINCT",
            "APPROX_PERCENTILE");
    /** The built-in functions, for decisions made from a plan alone ({@code sluice diff}). */
    private static final AggregateFunctionRegistry BUILT_IN = new AggregateFunctionRegistry();

    private TableDistinctCalls() {
    }

    /**
     * Whether {@code call} of function {@code fn} over a table keeps its values in the store (its
     * non-constant arguments {@code variable}). Build time: creates one accumulator to ask it.
     */
    static boolean keepsValuesBeside(AggregateCall call, AggregateFunction fn, List<Expr> variable) {
        return call.distinct() && !variable.isEmpty() && !COLLECTIONS.contains(fn.name())
                && fn.implement(call.arguments(), call.type(), call.sortDescending()).create().canRetract();
    }

    /**
     * As {@link #keepsValuesBeside(AggregateCall, AggregateFunction, List)} from the plan alone: a
     * function that is not built in was declared by the script (a Java aggregate), and over a table
     * it compiled only if its one accumulator retracts.
     */
    public static boolean keepsValuesBeside(AggregateCall call) {
        List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
        Optional<AggregateFunction> builtIn = BUILT_IN.lookup(call.function());
        if (builtIn.isEmpty()) {
            return call.distinct() && !variable.isEmpty();
        }
        return keepsValuesBeside(call, builtIn.get(), variable);
    }

    /**
     * The state format in which function {@code registeredName}'s DISTINCT values moved to the store:
     * 4, 13 or 20; 0 for a collection, whose DISTINCT store has a format of its own (a constant's
     * {@code ARRAY_AGG(DISTINCT c ORDER BY k)} counting its keys in the store: 21).
     */
    static byte stateFormat(String registeredName) {
        return FORMAT_4.contains(registeredName) ? AggregateStateSerde.VERSION_VALUES_IN_STORE
                : FORMAT_13.contains(registeredName) ? AggregateStateSerde.VERSION_DISTINCT_BESIDE
                : COLLECTIONS.contains(registeredName) ? 0
                : AggregateStateSerde.VERSION_TABLE_DISTINCT_RETRACTING;
    }

    /**
     * The state format {@code calls} of a GROUP BY over a table give by their DISTINCT calls kept in
     * the store: the highest of {@link #stateFormat}, or 0 when none is. {@code sluice diff} and the
     * start-up guard compare it; {@link Aggregation#serde} decides the same at build time.
     */
    public static byte stateFormat(List<AggregateCall> calls) {
        if (calls.size() > Byte.MAX_VALUE) {
            return 0; // every call keeps its values in the state then
        }
        byte format = 0;
        for (AggregateCall call : calls) {
            if (keepsValuesBeside(call)) {
                String name = BUILT_IN.lookup(call.function()).map(AggregateFunction::name).orElse("");
                format = (byte) Math.max(format, stateFormat(name));
            }
        }
        return format;
    }
}
