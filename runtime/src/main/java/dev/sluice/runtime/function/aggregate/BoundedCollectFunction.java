package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * ksqlDB's COLLECT_LIST and COLLECT_SET under {@code ksql.functions.collect_list.limit} /
 * {@code ksql.functions.collect_set.limit}: {@code COLLECT_LIST_BOUNDED(x, n)} and
 * {@code COLLECT_SET_BOUNDED(x, n)} keep at most n elements (the compiler writes these calls when a
 * script SETs a limit). As ksqlDB's {@code CollectListUdaf}/{@code CollectSetUdaf}: an element is
 * added only while fewer than n are held (a set also skips a value it holds), so the state never
 * grows past n elements; a merge appends the other side's elements up to the room left. A
 * retraction (a table's update) removes the latest equal element of a list; a set keeps a count per
 * held value and drops the value when its count reaches zero (counts only of held values: bounded).
 * A collection emptied by retractions is {@code []}, as ksqlDB's (whose initial value is an empty list).
 */
final class BoundedCollectFunction implements AggregateFunction {
    static final String LIST = "COLLECT_LIST_BOUNDED";
    static final String SET = "COLLECT_SET_BOUNDED";

    private final boolean set;

    private BoundedCollectFunction(boolean set) {
        this.set = set;
    }

    static BoundedCollectFunction list() {
        return new BoundedCollectFunction(false);
    }

    static BoundedCollectFunction set() {
        return new BoundedCollectFunction(true);
    }

    @Override
    public String name() {
        return set ? SET : LIST;
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 2, 2);
        if (!(arguments.get(1) instanceof Expr.Literal limit) || !(limit.value() instanceof Number)) {
            throw new FunctionException(name() + " expects a constant whole number of elements as its second argument");
        }
        return new ArrayType(arguments.get(0).type());
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        returnType(arguments);
        long configured = ((Number) ((Expr.Literal) arguments.get(1)).value()).longValue();
        // ksqlDB: a negative limit means no limit
        int limit = configured < 0 || configured > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) configured;
        SqlType type = arguments.get(0).type();
        boolean constant = Expr.isConstant(arguments.get(0));
        Object constantValue = constant ? ((Expr.Literal) arguments.get(0)).value() : null;
        return Factories.of(() -> new Bounded(set, limit, type, constant, constantValue, new ArrayList<>(), new ArrayList<>()),
                in -> {
                    int n = (int) StateIo.readVarLong(in);
                    List<Object> elements = new ArrayList<>(n);
                    List<Long> counts = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        elements.add(ValueCodec.read(in, type));
                        counts.add(set ? StateIo.readVarLong(in) : 1L);
                    }
                    return new Bounded(set, limit, type, constant, constantValue, elements, counts);
                });
    }

    /** The held elements (arrival order) and, for a set, how many inputs of each are live. */
    private static final class Bounded implements Accumulator {
        private final boolean set;
        private final int limit;
        private final SqlType type;
        private final boolean constant;
        private final Object constantValue;
        private final List<Object> elements;
        private final List<Long> counts;

        Bounded(boolean set, int limit, SqlType type, boolean constant, Object constantValue, List<Object> elements,
                List<Long> counts) {
            this.set = set;
            this.limit = limit;
            this.type = type;
            this.constant = constant;
            this.constantValue = constantValue;
            this.elements = elements;
            this.counts = counts;
        }

        private Object element(Object[] arguments) {
            return constant ? constantValue : arguments[0];
        }

        private int indexOf(Object value) {
            for (int i = elements.size() - 1; i >= 0; i--) {
                if (Objects.deepEquals(elements.get(i), value)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            offer(element(arguments), 1);
        }

        private void offer(Object value, long count) {
            if (set) {
                int at = indexOf(value);
                if (at >= 0) {
                    counts.set(at, counts.get(at) + count);
                    return;
                }
            }
            if (elements.size() < limit) {
                elements.add(value);
                counts.add(count);
            }
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            int at = indexOf(element(arguments));
            if (at < 0) {
                return; // never held: it came when the collection was full (ksqlDB's undo does the same)
            }
            long left = counts.get(at) - 1;
            if (left > 0) {
                counts.set(at, left);
            } else {
                elements.remove(at);
                counts.remove(at);
            }
        }

        @Override
        public void merge(Accumulator other) {
            Bounded that = (Bounded) other;
            for (int i = 0; i < that.elements.size(); i++) {
                offer(that.elements.get(i), that.counts.get(i));
            }
        }

        @Override
        public Object result() {
            // a group's collection is empty only after retractions: ksqlDB then shows [] (its initial list)
            return Collections.unmodifiableList(new ArrayList<>(elements));
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, elements.size());
            for (int i = 0; i < elements.size(); i++) {
                ValueCodec.write(out, type, elements.get(i));
                if (set) {
                    StateIo.writeVarLong(out, counts.get(i));
                }
            }
        }
    }
}
