package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code ARRAY_AGG(x [ORDER BY k1 [DESC], ...])}, alias {@code COLLECT_LIST}: ARRAY of x's type.
 * NULL elements are kept (PostgreSQL, and Flink's default RESPECT NULLS); no input gives NULL.
 * Without ORDER BY the elements are in arrival order; with it they are sorted by the keys, which
 * arrive as trailing arguments (one direction flag each), stably: ties keep arrival order. NULL
 * keys sort last ascending and first descending (PostgreSQL).
 *
 * <p>Merging appends the other accumulator's elements after this one's (the later session comes
 * second). Retraction removes the latest equal element (ksqlDB's COLLECT_LIST), so that adding and
 * then retracting an input restores the previous array exactly; or, for a Flink-dialect ARRAY_AGG,
 * the first equal element, as Flink's ARRAY_AGG and LISTAGG do ({@code a, b, a} minus {@code a} is
 * {@code b, a}).
 */
final class ArrayAggFunction implements AggregateFunction {

    @Override
    public String name() {
        return "ARRAY_AGG";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("COLLECT_LIST");
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, Integer.MAX_VALUE);
        return new ArrayType(arguments.get(0).type());
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        return implement(arguments, returnType, sortDescending, false);
    }

    /** {@code retractFirst}: a retraction takes out the first equal element, not the latest. */
    AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending,
                                 boolean retractFirst) {
        checkSortKeys(name(), arguments, sortDescending);
        if (Expr.isConstant(arguments.get(0))) {
            return new ConstantArrayAgg(((Expr.Literal) arguments.get(0)).value()); // a count, not the list
        }
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        List<SqlType> types = arguments.stream().map(Expr::type).toList();
        Comparator<Object[]> order = sortDescending.isEmpty() ? null : ValueOrder.sortKeys(sortDescending, 1);
        return Factories.of(() -> new ArrayAggAccumulator(slots, types, order, retractFirst, new ArrayList<>()),
                in -> {
                    long n = StateIo.readVarLong(in);
                    List<Object[]> entries = new ArrayList<>((int) n);
                    for (long i = 0; i < n; i++) {
                        Object[] entry = new Object[types.size()];
                        for (int j = 0; j < entry.length; j++) {
                            entry[j] = ValueCodec.read(in, types.get(j));
                        }
                        entries.add(entry);
                    }
                    return new ArrayAggAccumulator(slots, types, order, retractFirst, entries);
                });
    }

    /** ORDER BY keys are the trailing {@code sortDescending.size()} arguments and must be comparable. */
    static void checkSortKeys(String function, List<Expr> arguments, List<Boolean> sortDescending) {
        int first = arguments.size() - sortDescending.size();
        if (first < 1) {
            throw new FunctionException(function + " has " + sortDescending.size() + " ORDER BY keys but only "
                    + arguments.size() + " arguments");
        }
        for (int i = first; i < arguments.size(); i++) {
            ArgumentChecks.comparable(function, arguments, i, "ORDER BY keys");
        }
    }

    static final class ArrayAggAccumulator implements Accumulator {
        private final ArgumentSlots slots;
        private final List<SqlType> types;
        private final Comparator<Object[]> order;
        private final boolean retractFirst;
        /** Arrival order; each entry is the element followed by its sort keys. */
        private final List<Object[]> entries;

        ArrayAggAccumulator(ArgumentSlots slots, List<SqlType> types, Comparator<Object[]> order, boolean retractFirst,
                            List<Object[]> entries) {
            this.retractFirst = retractFirst;
            this.slots = slots;
            this.types = types;
            this.order = order;
            this.entries = entries;
        }

        private Object[] entry(Object[] arguments) {
            Object[] entry = new Object[slots.size()];
            for (int i = 0; i < entry.length; i++) {
                entry[i] = slots.get(arguments, i);
            }
            return entry;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            entries.add(entry(arguments));
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            Object[] entry = entry(arguments);
            int n = entries.size();
            for (int j = 0; j < n; j++) {
                int i = retractFirst ? j : n - 1 - j;
                if (Arrays.deepEquals(entries.get(i), entry)) {
                    entries.remove(i);
                    return;
                }
            }
        }

        @Override
        public void merge(Accumulator other) {
            entries.addAll(((ArrayAggAccumulator) other).entries);
        }

        @Override
        public Object result() {
            if (entries.isEmpty()) {
                return null;
            }
            List<Object[]> ordered = entries;
            if (order != null) {
                ordered = new ArrayList<>(entries);
                ordered.sort(order); // List.sort is stable: ties keep arrival order
            }
            List<Object> elements = new ArrayList<>(ordered.size());
            for (Object[] e : ordered) {
                elements.add(e[0]);
            }
            return Collections.unmodifiableList(elements);
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, entries.size());
            for (Object[] entry : entries) {
                for (int j = 0; j < entry.length; j++) {
                    ValueCodec.write(out, types.get(j), entry[j]);
                }
            }
        }
    }
}
