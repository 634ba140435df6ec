package dev.sluice.runtime.operator;

import dev.sluice.runtime.build.EndOfTime;
import dev.sluice.runtime.expr.Evaluator;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.expr.ExprCompiler;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.aggregate.DistinctAccumulatorFactory;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.serdes.row.Row;
import dev.sluice.serdes.binary.ByteArrayDataInput;
import dev.sluice.serdes.binary.ByteArrayDataOutput;
import dev.sluice.serdes.binary.ScratchOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record work of an aggregate step, compiled once: argument evaluators, FILTER predicates
 * and accumulator factories for each call. Used as the DSL's initializer, aggregator and merger.
 */
public final class Aggregation implements org.apache.kafka.streams.kstream.internals.HeapGroupAggregate.StateAdder<Row, AggregateState> {
    private final AccumulatorFactory[] factories;
    private final Evaluator[][] arguments;
    private final Evaluator[] filters;
    private final int rowtimeColumn;

    /**
     * Column of the row that carries {@code DistinctValues}' first-occurrence bits, or -1 when the
     * distinct values of DISTINCT calls are kept in the state value itself.
     */
    private final int firstOccurrenceColumn;
    private final boolean[] storeDistinct;
    /** Per call, where a table GROUP BY keeps the values it must be able to retract. */
    private final ValuesKept[] kept;
    /** Per call, the types of its non-constant arguments (the values {@link ValueCounts} keys). */
    private final List<List<dev.sluice.serdes.row.SqlType>> argumentTypes;
    private final boolean[] max;
    /** Per call, its function's name (as registered, not an alias). */
    private final String[] functionNames;
    /** Per call, its store-kept form when {@link ValuesKept#MULTISET_IN_STORE}, else null. */
    private final StoredMultiset[] multisets;
    /**
     * Column of the row that carries {@link MultisetValues}' results ({@link StoredResults}), or -1
     * when no call of a stream aggregate keeps its multiset in a store.
     */
    private final int storedResultsColumn;

    /**
     * Where a call over a changelog keeps the values it needs to retract: in the state value (a
     * multiset or a value → count map, rewritten whole on every update), or in a store beside the
     * state keyed by (group, call, value) → count ({@link ValueCounts}), as Flink's MapState.
     */
    public enum ValuesKept {
        /** Nothing, or a collection in the accumulator itself. */
        IN_STATE,
        /**
         * Over a table, {@code agg(DISTINCT x)} of every function whose plain accumulator retracts
         * ({@link TableDistinctCalls}): it sees a value's first arrival and its last departure.
         */
        DISTINCT_IN_STORE,
        /** {@code MIN/MAX(x)}: the accumulator holds the extreme; a departed extreme is replaced by the store's next. */
        EXTREME_IN_STORE,
        /**
         * PERCENTILE_CONT/DISC, TOPK/TOPKDISTINCT: value → count in the store ({@link StoredMultiset}),
         * the state holds the latest result ({@link HeldResult}).
         */
        MULTISET_IN_STORE
    }

    private static final Object[] NO_ARGUMENTS = {};

    /** The aggregate functions whose plain accumulator, fed each distinct value once, gives the DISTINCT result. */
    private static final java.util.Set<String> DISTINCT_BY_COUNTS = java.util.Set.of("COUNT", "SUM", "AVG");

    public Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler) {
        this(calls, rowtimeColumn, functions, compiler, false, -1);
    }

    /** {@code changelog}: the input is a table, so every accumulator must retract (see {@link #retract}). */
    public Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler,
                boolean changelog) {
        this(calls, rowtimeColumn, functions, compiler, changelog, -1);
    }

    /**
     * @param firstOccurrenceColumn when not -1, DISTINCT calls keep no set in the state: the input
     *                              row's column at this index (a BIGINT bit set, bit i for call i,
     *                              written by {@code DistinctValues} from its store) says whether
     *                              the row's value is the first of its group, and only a first
     *                              occurrence reaches the plain accumulator; for hopping and
     *                              cumulating windows it holds {@link WindowMarks}, one bit set per
     *                              window. Append-only input only.
     */
    public Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler,
                boolean changelog, int firstOccurrenceColumn) {
        this(calls, rowtimeColumn, functions, compiler, changelog, firstOccurrenceColumn, false, -1);
    }

    /**
     * A GROUP BY over a changelog whose MIN/MAX and COUNT/SUM/AVG(DISTINCT) calls keep their values
     * in {@link ValueCounts}' store (see {@link ValuesKept}); other calls keep theirs in the state.
     * Use {@link #add(Row, AggregateState, StoredValues)} and {@link #retract(Row, AggregateState, StoredValues, boolean)}.
     */
    public static Aggregation overChangelogWithValueStore(List<AggregateCall> calls, int rowtimeColumn,
                                                          FunctionCatalog functions, ExprCompiler compiler) {
        return new Aggregation(calls, rowtimeColumn, functions, compiler, true, -1, true, -1);
    }

    /**
     * A GROUP BY over a stream (optionally windowed, not sessions) whose PERCENTILE_CONT/DISC and
     * TOPK/TOPKDISTINCT calls keep their values in {@link MultisetValues}' store when
     * {@code storedResultsColumn} is not -1: the row's column at that index carries their results
     * ({@link StoredResults}). {@code firstOccurrenceColumn}: as in the constructor.
     */
    public static Aggregation overStream(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions,
                                         ExprCompiler compiler, int firstOccurrenceColumn, int storedResultsColumn) {
        return overStream(calls, rowtimeColumn, functions, compiler, firstOccurrenceColumn, storedResultsColumn, false);
    }

    /**
     * As {@link #overStream(List, int, FunctionCatalog, ExprCompiler, int, int)}; {@code distinctFirstArrivals}:
     * a DISTINCT percentile, TOPK, COUNT_DISTINCT or ATTR is kept in the store too, counting its values'
     * first arrivals (not windowed, or a time window: {@link #multisetsInStore}; state format 13).
     */
    public static Aggregation overStream(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions,
                                         ExprCompiler compiler, int firstOccurrenceColumn, int storedResultsColumn,
                                         boolean distinctFirstArrivals) {
        return new Aggregation(calls, rowtimeColumn, functions, compiler, false, firstOccurrenceColumn,
                storedResultsColumn >= 0, storedResultsColumn, distinctFirstArrivals);
    }

    /**
     * Whether a GROUP BY of {@code calls} (windowed by {@code window}, if present) keeps the values of
     * its PERCENTILE_CONT/DISC or TOPK/TOPKDISTINCT calls in {@code <step>-values-store} and their
     * results in its state (state format version 6): every GROUP BY except session windows, which
     * merge and keep them in the state. {@code sluice diff} and the start-up guard compare it.
     */
    public static boolean multisetsInStore(List<AggregateCall> calls,
                                           java.util.Optional<dev.sluice.runtime.plan.WindowSpec> window) {
        if (window.map(w -> w.kind() == dev.sluice.runtime.plan.WindowSpec.Kind.SESSION).orElse(false)
                || calls.size() > Byte.MAX_VALUE) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            if (StoredMultiset.of(call, variable, false, true).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some of {@code calls} would keep a multiset in a store ({@link StoredMultiset#of}). */
    public static boolean hasStoredMultisets(List<AggregateCall> calls) {
        if (calls.size() > Byte.MAX_VALUE) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            if (StoredMultiset.of(call, variable).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler,
                        boolean changelog, int firstOccurrenceColumn, boolean valuesInStore, int storedResultsColumn) {
        this(calls, rowtimeColumn, functions, compiler, changelog, firstOccurrenceColumn, valuesInStore,
                storedResultsColumn, false);
    }

    private Aggregation(List<AggregateCall> calls, int rowtimeColumn, FunctionCatalog functions, ExprCompiler compiler,
                        boolean changelog, int firstOccurrenceColumn, boolean valuesInStore, int storedResultsColumn,
                        boolean distinctFirstArrivals) {
        int n = calls.size();
        this.kept = new ValuesKept[n];
        this.max = new boolean[n];
        this.functionNames = new String[n];
        this.multisets = new StoredMultiset[n];
        this.storedResultsColumn = storedResultsColumn;
        List<List<dev.sluice.serdes.row.SqlType>> types = new ArrayList<>();
        this.factories = new AccumulatorFactory[n];
        this.arguments = new Evaluator[n][];
        this.filters = new Evaluator[n];
        this.rowtimeColumn = rowtimeColumn;
        this.firstOccurrenceColumn = firstOccurrenceColumn;
        this.storeDistinct = new boolean[n];
        for (int i = 0; i < n; i++) {
            AggregateCall call = calls.get(i);
            AggregateFunction fn = functions.aggregate(call.function())
                    .orElseThrow(() -> new IllegalStateException("no aggregate " + call.function()));
            AccumulatorFactory factory = changelog
                    ? dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry.implementForChangelog(fn,
                    call.arguments(), call.type(), call.sortDescending(), call.retractFirstEqual())
                    : fn.implement(call.arguments(), call.type(), call.sortDescending());
            List<Expr> variable = new ArrayList<>();
            for (Expr arg : call.arguments()) {
                if (!Expr.isConstant(arg)) {
                    variable.add(arg);
                }
            }
            types.add(variable.stream().map(Expr::type).toList());
            kept[i] = valuesInStore && n <= Byte.MAX_VALUE
                    ? keptInStore(call, fn, variable, changelog, distinctFirstArrivals) : ValuesKept.IN_STATE;
            if (storedResultsColumn >= 0 && kept[i] != ValuesKept.MULTISET_IN_STORE) {
                // a stream keeps only multisets in this store (its DISTINCT values have their own)
                kept[i] = ValuesKept.IN_STATE;
            }
            max[i] = fn.name().equals("MAX");
            functionNames[i] = fn.name();
            if (kept[i] == ValuesKept.MULTISET_IN_STORE) {
                multisets[i] = StoredMultiset.of(call, variable, changelog, distinctFirstArrivals).orElseThrow();
                factory = HeldResult.factory(call.type(), multisets[i].empty());
            } else if (kept[i] != ValuesKept.IN_STATE) {
                // the store holds the values: the compact plain accumulator (one extreme, a count, a sum)
                factory = fn.implement(call.arguments(), call.type(), call.sortDescending());
                if (changelog && distinctConstantList(call)) {
                    constantListsBeside = true; // every older format held the key tuples in the value
                }
            } else if (call.distinct() && firstOccurrenceColumn >= 0) {
                storeDistinct[i] = true;
            } else if (call.distinct()) {
                factory = new DistinctAccumulatorFactory(factory, call.arguments());
            }
            factories[i] = factory;
            arguments[i] = compiler.compileAll(variable);
            filters[i] = call.filter().map(compiler::compile).orElse(null);
        }
        this.argumentTypes = List.copyOf(types);
    }

    private static ValuesKept keptInStore(AggregateCall call, AggregateFunction fn, List<Expr> variable, boolean changelog,
                                          boolean distinctFirstArrivals) {
        if (StoredMultiset.of(call, variable, changelog, distinctFirstArrivals).isPresent()) {
            return ValuesKept.MULTISET_IN_STORE;
        }
        boolean extreme = fn.name().equals("MIN") || fn.name().equals("MAX");
        if (extreme && variable.size() == 1 && OrderedValueBytes.supports(variable.get(0).type())) {
            return ValuesKept.EXTREME_IN_STORE;
        }
        if (call.distinct() && !variable.isEmpty() && DISTINCT_BY_COUNTS.contains(fn.name())
                || changelog && TableDistinctCalls.keepsValuesBeside(call, fn, variable)) {
            return ValuesKept.DISTINCT_IN_STORE;
        }
        if (changelog && distinctConstantList(call)) {
            // c once per live distinct key tuple: a count the keys' first arrival and last departure move (format 21)
            return ValuesKept.DISTINCT_IN_STORE;
        }
        return ValuesKept.IN_STATE;
    }

    /**
     * Whether {@code call} is an {@code ARRAY_AGG(DISTINCT c ORDER BY k, ...)} / COLLECT_LIST of a
     * constant c with some non-constant key: its list is c once per distinct key tuple (NULL keys
     * included), so a {@link dev.sluice.runtime.function.aggregate.ConstantArrayAgg} count of the
     * tuples, fed their first arrivals (and, over a table or a merge, their last departures), gives it.
     */
    public static boolean distinctConstantList(AggregateCall call) {
        String name = call.function().toUpperCase(java.util.Locale.ROOT);
        return (name.equals("ARRAY_AGG") || name.equals("COLLECT_LIST")) && call.distinct()
                && !call.arguments().isEmpty() && Expr.isConstant(call.arguments().get(0))
                && call.arguments().stream().anyMatch(e -> !Expr.isConstant(e));
    }

    /**
     * Whether a GROUP BY of {@code calls} ({@code changelog}: over a table; windowed by {@code window})
     * keeps a DISTINCT call's values beside its state in the form state format 13 added: over a
     * stream a DISTINCT percentile, TOPK, COUNT_DISTINCT or ATTR in {@code <step>-values-store}
     * (not sessions), over a table a DISTINCT STDDEV/VAR_*, CORRELATION, COUNT_IF or BOOL_AND/OR.
     * {@code sluice diff} and the start-up guard compare it.
     */
    public static boolean distinctBeside(List<AggregateCall> calls, boolean changelog,
                                         java.util.Optional<dev.sluice.runtime.plan.WindowSpec> window) {
        if (calls.size() > Byte.MAX_VALUE
                || window.map(w -> w.kind() == dev.sluice.runtime.plan.WindowSpec.Kind.SESSION).orElse(false)) {
            return false;
        }
        for (AggregateCall call : calls) {
            List<Expr> variable = call.arguments().stream().filter(e -> !Expr.isConstant(e)).toList();
            if (!call.distinct() || variable.isEmpty()) {
                continue;
            }
            if (changelog ? TableDistinctCalls.keepsValuesBeside(call)
                    && TableDistinctCalls.stateFormat(List.of(call)) == AggregateStateSerde.VERSION_DISTINCT_BESIDE
                    : StoredMultiset.of(call, variable, false, true).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some call keeps its DISTINCT values in a form of state format 13 ({@link #distinctBeside}). */
    private boolean distinctBeside() {
        for (int i = 0; i < kept.length; i++) {
            if (multisets[i] != null && multisets[i].firstArrivals() || kept[i] == ValuesKept.DISTINCT_IN_STORE
                    && TableDistinctCalls.stateFormat(functionNames[i]) == AggregateStateSerde.VERSION_DISTINCT_BESIDE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some call over a table keeps its DISTINCT values in the store since state format 20
     * (ksqlDB's STDDEV_SAMPLE, SUM_LIST, a Java aggregate: {@link TableDistinctCalls}).
     */
    private boolean distinctRetractingBeside() {
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] == ValuesKept.DISTINCT_IN_STORE && TableDistinctCalls.stateFormat(functionNames[i])
                    == AggregateStateSerde.VERSION_TABLE_DISTINCT_RETRACTING) {
                return true;
            }
        }
        return false;
    }

    /** Where call {@code call} keeps its values. */
    public ValuesKept kept(int call) {
        return kept[call];
    }

    /** Whether some call keeps its values in {@link ValueCounts}' store. */
    public boolean keepsValuesInStore() {
        for (ValuesKept k : kept) {
            if (k != ValuesKept.IN_STATE) {
                return true;
            }
        }
        return false;
    }

    /** The types of call {@code call}'s non-constant arguments, as {@link #arguments} evaluates them. */
    public List<dev.sluice.serdes.row.SqlType> argumentTypes(int call) {
        return argumentTypes.get(call);
    }

    /** Call {@code call}'s store-kept multiset ({@link ValuesKept#MULTISET_IN_STORE}), else null. */
    public StoredMultiset multiset(int call) {
        return multisets[call];
    }

    /** Whether some call keeps its multiset in a store ({@link ValuesKept#MULTISET_IN_STORE}). */
    public boolean keepsMultisetsInStore() {
        for (ValuesKept k : kept) {
            if (k == ValuesKept.MULTISET_IN_STORE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some call keeps its values in a store keyed by {@link EqualityKeyBytes} (a type
     * without an ordered encoding: state format 15, {@link StoredMultiset#keyedByEquality}; a
     * DISTINCT call over a MAP or VARIANT, {@link DistinctArgumentKeys}).
     */
    boolean keysByEquality() {
        for (StoredMultiset multiset : multisets) {
            if (multiset != null && multiset.keyedByEquality()) {
                return true;
            }
        }
        // a DISTINCT call over a MAP or VARIANT in <step>-distinct-store or <step>-values-store
        for (int i = 0; i < factories.length; i++) {
            if ((storeDistinct[i] || kept[i] == ValuesKept.DISTINCT_IN_STORE)
                    && DistinctArgumentKeys.byEquality(argumentTypes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether call {@code call} is a MAX (its extreme is the largest value). */
    public boolean isMax(int call) {
        return max[call];
    }

    /**
     * The values a table GROUP BY keeps beside its state, for the group of the row at hand: one
     * count per (call, value).
     */
    public interface StoredValues {
        /** Adds {@code delta} (1 or -1) to the count of the call's values; the count after, or -1 if absent. */
        long count(int call, Object[] values, int delta);

        /** The smallest (or, {@code max}, the largest) value of the call still counted, or null. */
        Object extreme(int call, boolean max);

        /**
         * Counts {@code value} in or out of a {@link ValuesKept#MULTISET_IN_STORE} call; its result
         * after, or {@link StoredMultiset#UNCHANGED}.
         */
        Object multiset(int call, Object value, int delta);
    }

    /**
     * Call {@code call} keeps its elements beside the state ({@link ListElements}, {@link TableElements})
     * and {@code factory}'s accumulator here, in state format {@code version}. Build time only.
     */
    void keepElementsInStore(int call, AccumulatorFactory factory, byte version) {
        factories[call] = factory;
        // callers pass one format for all of a step's calls (ListElements/TableElements.stateFormat);
        // should two differ, 10 (sets) with 11 (ORDER BY / DISTINCT lists) is 14, else the highest wins
        // (14 over 11 over 10 over 9, elements beside a GROUP BY, over 5, window lists)
        if (listsVersion == AggregateStateSerde.VERSION_DISTINCT_ELEMENTS
                || version == AggregateStateSerde.VERSION_DISTINCT_ELEMENTS) {
            listsVersion = AggregateStateSerde.VERSION_DISTINCT_ELEMENTS; // beside DISTINCT calls: 18 whatever else
            return;
        }
        boolean setsAndSorted = Math.min(listsVersion, version) == AggregateStateSerde.VERSION_SETS_IN_STORE
                && Math.max(listsVersion, version) == AggregateStateSerde.VERSION_SORTED_ELEMENTS;
        listsVersion = setsAndSorted ? AggregateStateSerde.VERSION_SETS_AND_SORTED
                : (byte) Math.max(listsVersion, version);
    }

    /**
     * Session windows: call {@code call} (a DISTINCT one too) keeps its values in
     * {@link SessionCollections}' store as {@code multiset}, its result in the state. Build time only.
     */
    void keepMultisetInStore(int call, StoredMultiset multiset, AggregateCall definition) {
        kept[call] = ValuesKept.MULTISET_IN_STORE;
        multisets[call] = multiset;
        factories[call] = HeldResult.factory(definition.type(), multiset.empty());
        storeDistinct[call] = false;
    }

    /**
     * Session windows: call {@code call} (a DISTINCT one too) keeps its elements in
     * {@link SessionOrderedElements}, a row count here ({@link ElementCount}). Build time only.
     */
    void keepSessionElementsInStore(int call) {
        factories[call] = ElementCount.FACTORY;
        storeDistinct[call] = false;
        sessionElements = true;
    }

    /** Whether some call keeps its elements in {@link SessionOrderedElements} (session state format 16). */
    boolean keepsSessionElements() {
        return sessionElements;
    }

    private boolean sessionElements;

    /**
     * Session windows: DISTINCT call {@code call} keeps its set of values in the state, as without a
     * distinct store ({@link SessionDistinctValues} keeps only calls that can take back a value two
     * merged sessions held, or need not). Build time only.
     */
    void keepDistinctSetInState(int call, AggregateCall definition) {
        if (storeDistinct[call]) {
            storeDistinct[call] = false;
            factories[call] = new DistinctAccumulatorFactory(factories[call], definition.arguments());
        }
    }

    /**
     * Session windows: DISTINCT call {@code call} runs as the plain call, every row reaching it
     * (APPROX_COUNT_DISTINCT, whose sketch ignores repeats: {@link SessionDistinctValues#prepare}).
     * Build time only.
     */
    void dropDistinct(int call) {
        storeDistinct[call] = false;
        if (factories[call] instanceof DistinctAccumulatorFactory distinct) {
            factories[call] = distinct.inner();
        }
    }

    /** 0, or the state format of a call that keeps its elements beside the state ({@link #keepElementsInStore}). */
    private byte listsVersion;

    /** The initializer's state: no rows. Never a result row (see {@link AggregateState#isEmpty}). */
    public AggregateState initial() {
        Accumulator[] accs = new Accumulator[factories.length];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = factories[i].create();
        }
        return new AggregateState(accs, 0);
    }

    /** A new state with the row added; {@code state} itself is left as it was. */
    @Override
    public AggregateState add(Row row, AggregateState state) {
        return row == EndOfTime.MARKER ? state : addInPlace(row, copy(state));
    }

    /**
     * A new state without a row added earlier (the old value of a table row that changed or was
     * deleted), or null when no row is left: Kafka Streams then deletes the group from the store
     * and forwards a tombstone, so the group disappears downstream, as in Flink.
     */
    public AggregateState retract(Row row, AggregateState state) {
        AggregateState next = apply(row, copy(state), true);
        return next.isEmpty() ? null : next;
    }

    /** Retracts {@code row} and keeps the group even when no row is left (ksqlDB never deletes one). */
    public AggregateState retractKeepingGroup(Row row, AggregateState state) {
        return apply(row, copy(state), true);
    }

    /** As {@link #add(Row, AggregateState)}, counting the values of calls kept in a store in {@code stored}. */
    public AggregateState add(Row row, AggregateState state, StoredValues stored) {
        return addInPlace(row, copy(state), stored);
    }

    /**
     * As {@link #add(Row, AggregateState)}, changing {@code state}'s accumulators instead of a copy's.
     * Only for a caller that owns {@code state}, read from its store for this record (a fresh
     * deserialized object) or made by {@link #initial}, and neither forwards it as an old value nor
     * uses it after this call: the copy was a whole encode and decode of the state per record.
     * Kafka Streams' DSL aggregate forwards the state it read as the old value when a downstream
     * table asks for old values and the record cache is off, so it keeps {@link #add}.
     */
    @Override
    public AggregateState addInPlace(Row row, AggregateState state) {
        if (row == EndOfTime.MARKER) {
            return state;
        }
        return apply(row, state, false);
    }

    /** As {@link #add(Row, AggregateState, StoredValues)}, on a state the caller owns ({@link #addInPlace(Row, AggregateState)}). */
    public AggregateState addInPlace(Row row, AggregateState state, StoredValues stored) {
        return apply(row, state, false, stored);
    }

    /**
     * As {@link #retract(Row, AggregateState, StoredValues, boolean)}, on a state the caller owns
     * ({@link #addInPlace(Row, AggregateState)}).
     */
    public AggregateState retractInPlace(Row row, AggregateState state, StoredValues stored, boolean keepGroup) {
        AggregateState next = apply(row, state, true, stored);
        return next.isEmpty() && !keepGroup ? null : next;
    }

    /**
     * As {@link #retract} ({@code keepGroup}: {@link #retractKeepingGroup}), uncounting the values of
     * calls kept in a store in {@code stored}.
     */
    public AggregateState retract(Row row, AggregateState state, StoredValues stored, boolean keepGroup) {
        return retractInPlace(row, copy(state), stored, keepGroup);
    }

    private AggregateState apply(Row row, AggregateState state, boolean retract) {
        return apply(row, state, retract, null);
    }

    /**
     * Evaluates each call's FILTER and arguments over the row, then adds or retracts them; a failure
     * (a Java aggregate's exception) is signalled to the processors before the aggregate
     * ({@link AggregationFailure}) so that they can take back what they stored for the record.
     */
    private AggregateState apply(Row row, AggregateState state, boolean retract, StoredValues stored) {
        try {
            return applyCalls(row, state, retract, stored);
        } catch (RuntimeException | Error e) {
            AggregationFailure.mark();
            throw e;
        }
    }

    private AggregateState applyCalls(Row row, AggregateState state, boolean retract, StoredValues stored) {
        long timestamp = rowtimeColumn >= 0 && row.get(rowtimeColumn) instanceof Long ts ? ts : 0L;
        long firstOccurrences = 0L;
        SessionMarks merged = null;
        if (firstOccurrenceColumn >= 0) {
            Object marks = row.get(firstOccurrenceColumn);
            if (marks instanceof Long bits) {
                firstOccurrences = bits;
            } else if (marks instanceof WindowMarks perWindow) {
                // a record in several windows: this call is for the next window it reaches
                firstOccurrences = perWindow.nextWindow();
            } else if (marks instanceof SessionMarks session) {
                firstOccurrences = session.firstOccurrences();
                merged = session;
            }
        }
        Object[] storedResults = null;
        if (storedResultsColumn >= 0 && row.get(storedResultsColumn) instanceof StoredResults results) {
            storedResults = results.nextWindow();
        }
        if (merged != null && !retract) {
            // the merger added the merged sessions' accumulators: a value two of them held counts once
            for (int i = 0; i < factories.length; i++) {
                for (Object[] duplicate : merged.duplicates(i)) {
                    state.accumulators[i].retract(duplicate, timestamp);
                }
            }
        }
        for (int i = 0; i < factories.length; i++) {
            if (kept[i] == ValuesKept.MULTISET_IN_STORE && storedResults != null) {
                // MultisetValues applied the FILTER, counted the value and computed the result
                if (storedResults[i] != StoredMultiset.UNCHANGED) {
                    ((HeldResult) state.accumulators[i]).set(storedResults[i]);
                }
                continue;
            }
            if (storeDistinct[i]) {
                // DistinctValues already applied the FILTER and looked the value up in its store.
                if ((firstOccurrences & (1L << i)) == 0) {
                    continue;
                }
            } else if (!passesFilter(i, row)) {
                continue;
            }
            Object[] values = arguments(i, row);
            if (kept[i] == ValuesKept.MULTISET_IN_STORE) {
                Object result = stored.multiset(i, values[0], retract ? -1 : 1);
                if (result != StoredMultiset.UNCHANGED) {
                    ((HeldResult) state.accumulators[i]).set(result);
                }
                continue;
            }
            if (kept[i] == ValuesKept.DISTINCT_IN_STORE) {
                // only a value's first arrival and its last departure reach the plain accumulator
                long after = stored.count(i, values, retract ? -1 : 1);
                if (after != (retract ? 0 : 1)) {
                    continue;
                }
            } else if (kept[i] == ValuesKept.EXTREME_IN_STORE) {
                if (values[0] == null) {
                    continue;
                }
                long after = stored.count(i, values, retract ? -1 : 1);
                if (retract && after == 0 && isExtreme(values[0], state.accumulators[i].result())) {
                    // the extreme left the group: the next is the store's first (or last) value now;
                    // any other value leaving changes nothing, and needs no range seek
                    state.accumulators[i] = factories[i].create();
                    Object next = stored.extreme(i, max[i]);
                    if (next != null) {
                        state.accumulators[i].add(new Object[] {next}, timestamp);
                    }
                }
                if (retract) {
                    continue;
                }
            }
            if (retract) {
                state.accumulators[i].retract(values, timestamp);
            } else {
                state.accumulators[i].add(values, timestamp);
            }
        }
        return new AggregateState(state.accumulators, Math.max(0, state.rows + (retract ? -1 : 1)));
    }

    /** Whether a value that left a MIN/MAX is its current result (compared as MIN/MAX compare). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isExtreme(Object value, Object extreme) {
        return extreme == null || ((Comparable) value).compareTo(extreme) == 0;
    }

    /**
     * Whether the row reaches call {@code call}'s accumulator in the record's {@code window}-th open
     * window (0 without window or for a tumbling one): always for a call {@link DistinctValues}
     * does not mark, else when it marked the row's value as the first of its group (and window).
     * {@link ListElements} asks it without consuming the aggregate's {@link WindowMarks}.
     */
    public boolean firstOccurrence(int call, Row row, int window) {
        if (!storeDistinct[call]) {
            return true;
        }
        Object marks = row.get(firstOccurrenceColumn);
        long bits = marks instanceof Long b ? b : marks instanceof WindowMarks w ? w.window(window) : 0L;
        return (bits & (1L << call)) != 0;
    }

    /** How many windows the row's {@link WindowMarks} cover, or -1 when it carries none. */
    public int markedWindows(Row row) {
        return firstOccurrenceColumn >= 0 && row.get(firstOccurrenceColumn) instanceof WindowMarks w ? w.windows() : -1;
    }

    /** Whether call {@code call}'s FILTER (if any) keeps the row. */
    public boolean passesFilter(int call, Row row) {
        return filters[call] == null || Boolean.TRUE.equals(filters[call].evaluate(row));
    }

    /** Call {@code call}'s non-constant arguments evaluated over the row. */
    public Object[] arguments(int call, Row row) {
        Evaluator[] args = arguments[call];
        if (args.length == 0) {
            return NO_ARGUMENTS; // COUNT(*): nothing to hold, and an empty array cannot be changed
        }
        Object[] values = new Object[args.length];
        for (int a = 0; a < values.length; a++) {
            values[a] = args[a].evaluate(row);
        }
        return values;
    }

    /** Session windows merge: a new state, neither input changed. */
    public AggregateState merge(AggregateState left, AggregateState right) {
        AggregateState merged = copy(left);
        for (int i = 0; i < factories.length; i++) {
            merged.accumulators[i].merge(right.accumulators[i]);
        }
        return new AggregateState(merged.accumulators, left.rows + right.rows);
    }

    /**
     * As {@link #merge}, folding {@code other} into {@code owned}'s accumulators instead of a copy's:
     * only for a caller that owns {@code owned} (a state it just read from its store) and uses neither
     * afterwards but through the result.
     */
    public AggregateState mergeInto(AggregateState owned, AggregateState other) {
        for (int i = 0; i < factories.length; i++) {
            owned.accumulators[i].merge(other.accumulators[i]);
        }
        return new AggregateState(owned.accumulators, owned.rows + other.rows);
    }

    /**
     * A deep copy through each accumulator's own encoding, so that no accumulator needs a copy
     * method of its own and a copy can never share a mutable part with its original.
     */
    public AggregateState copy(AggregateState state) {
        Accumulator[] accs = new Accumulator[factories.length];
        ByteArrayDataOutput out = ScratchOutput.take();
        try {
            for (Accumulator acc : state.accumulators) {
                acc.write(out);
            }
            ByteArrayDataInput in = out.readBack(); // read before the buffer is given back
            for (int i = 0; i < accs.length; i++) {
                accs[i] = factories[i].read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy aggregation state", e);
        } finally {
            ScratchOutput.give(out);
        }
        return new AggregateState(accs, state.rows);
    }

    /** The results of every call, in call order, appended after {@code prefix} values. */
    public Object[] results(AggregateState state, int prefixWidth) {
        Object[] out = new Object[prefixWidth + factories.length];
        for (int i = 0; i < factories.length; i++) {
            out[prefixWidth + i] = state.accumulators[i].result();
        }
        return out;
    }

    /**
     * The step runs some call in a form state format 21 added ({@link AggregateStateSerde#VERSION_CONSTANT_SORT_KEYS}):
     * an ARRAY_AGG without its constant ORDER BY keys ({@link ConstantSortKeys}), or a constant's
     * ARRAY_AGG(DISTINCT ... ORDER BY k) counting its keys beside the state. Build time only.
     */
    public void tagConstantListsBeside() {
        constantListsBeside = true;
    }

    private boolean constantListsBeside;

    /**
     * The step's DISTINCT calls are marked by {@link DistinctValues} over a store without a window,
     * one entry per group and value (state format 22, {@link AggregateStateSerde#VERSION_DISTINCT_PER_VALUE}),
     * which wins over every other tag: the same query's older state came with one entry per call.
     * Build time only.
     */
    public void tagDistinctPerValue() {
        distinctPerValue = true;
    }

    private boolean distinctPerValue;

    private AggregateStateSerde serdeOf(byte version) {
        return new AggregateStateSerde(factories, distinctPerValue ? AggregateStateSerde.VERSION_DISTINCT_PER_VALUE
                : constantListsBeside ? AggregateStateSerde.VERSION_CONSTANT_SORT_KEYS : version);
    }

    /** The serde of this aggregation's state written as format {@code version} (session collections: 8). */
    AggregateStateSerde serde(byte version) {
        return serdeOf(version);
    }

    public AggregateStateSerde serde() {
        // precedence: 20 (a table's DISTINCT calls of every retracting function beside) first, then 15
        // (values keyed by equality), 18 (collections beside DISTINCT calls), 13 (DISTINCT values beside),
        // then the elements beside the state. 20, 15 and 18 are each newer than any layout the same query
        // had before, so any of them may tag a state that has several.
        if (distinctRetractingBeside()) {
            return new AggregateStateSerde(factories, AggregateStateSerde.VERSION_TABLE_DISTINCT_RETRACTING);
        }
        if (distinctPerValue) {
            return serdeOf(AggregateStateSerde.VERSION_DISTINCT_PER_VALUE);
        }
        if (keysByEquality()) {
            return serdeOf(AggregateStateSerde.VERSION_EQUALITY_KEYS);
        }
        // (14 sets and ORDER BY/DISTINCT lists, 11 lists, 10 sets, 9), then 5 unless multisets are
        // stored too (6/7), then 4, 3, 2
        if (listsVersion == AggregateStateSerde.VERSION_DISTINCT_ELEMENTS) {
            // collections beside DISTINCT calls: the same query's 13 (or 3, 11, ...) held them in the value
            return serdeOf(listsVersion);
        }
        if (distinctBeside()) {
            return serdeOf(AggregateStateSerde.VERSION_DISTINCT_BESIDE);
        }
        if (listsVersion >= AggregateStateSerde.VERSION_ELEMENTS_BESIDE || listsVersion != 0 && !keepsMultisetsInStore()) {
            return serdeOf(listsVersion);
        }
        if (keepsMultisetsInStore()) {
            return serdeOf(StoredMultiset.stateVersion(multisets));
        }
        return serdeOf(keepsValuesInStore() ? AggregateStateSerde.VERSION_VALUES_IN_STORE
                : firstOccurrenceColumn >= 0 ? AggregateStateSerde.VERSION_DISTINCT_IN_STORE : AggregateStateSerde.VERSION);
    }
}
