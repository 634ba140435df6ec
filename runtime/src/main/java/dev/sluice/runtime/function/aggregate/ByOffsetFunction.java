package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.serdes.binary.ValueCodec;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ksqlDB's {@code EARLIEST_BY_OFFSET(x [, ignoreNulls])} / {@code LATEST_BY_OFFSET(x [, ignoreNulls])}
 * and their n-value forms {@code (x, n [, ignoreNulls])}, which answer an ARRAY (see
 * {@link ByOffsetList}). The one-value form:
 * x of the first / last record to arrive (processing order, which within a partition is offset
 * order), whatever its event time. NULLs are skipped unless the optional constant BOOLEAN
 * {@code ignoreNulls} is FALSE. Same type as x; NULL when nothing was kept. Merging treats the
 * other accumulator as the later one. Does not retract.
 */
final class ByOffsetFunction implements AggregateFunction {
    private final boolean latest;

    private ByOffsetFunction(boolean latest) {
        this.latest = latest;
    }

    static ByOffsetFunction earliest() {
        return new ByOffsetFunction(false);
    }

    static ByOffsetFunction latest() {
        return new ByOffsetFunction(true);
    }

    @Override
    public String name() {
        return latest ? "LATEST_BY_OFFSET" : "EARLIEST_BY_OFFSET";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, 3);
        int n = count(arguments);
        ignoreNulls(arguments);
        return n > 0 ? new ArrayType(arguments.get(0).type()) : arguments.get(0).type();
    }

    /** n of the n-value form (a constant INTEGER second argument), else 0. */
    private int count(List<Expr> arguments) {
        if (arguments.size() < 2 || !(arguments.get(1) instanceof Expr.Literal l) || !(l.value() instanceof Number n)
                || arguments.get(1).type() != ScalarType.INTEGER) {
            if (arguments.size() == 3) {
                throw new FunctionException(name() + " expects a constant INTEGER n as its second argument, got "
                        + arguments.get(1).type().sql());
            }
            return 0;
        }
        if (n.intValue() < 1) {
            throw new FunctionException(name() + ": n must be 1 or greater, got " + n);
        }
        return n.intValue();
    }

    private boolean ignoreNulls(List<Expr> arguments) {
        int at = count(arguments) > 0 ? 2 : 1;
        if (arguments.size() <= at) {
            return true;
        }
        Expr flag = arguments.get(at);
        if (flag instanceof Expr.Literal l && l.value() instanceof Boolean b) {
            return b;
        }
        throw new FunctionException(name() + " expects a constant BOOLEAN ignoreNulls as its "
                + (at == 1 ? "second" : "third") + " argument, got "
                + (Expr.isConstant(flag) ? flag + " of type " + flag.type().sql() : "a non-constant " + flag.type().sql()));
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SqlType type = arguments.get(0).type();
        boolean ignoreNulls = ignoreNulls(arguments);
        int n = count(arguments);
        if (n > 0) {
            return Factories.of(() -> new ByOffsetList(slots, type, latest, ignoreNulls, n, new ArrayList<>()),
                    in -> ByOffsetList.read(in, slots, type, latest, ignoreNulls, n));
        }
        return Factories.of(() -> new ByOffsetAccumulator(slots, type, latest, ignoreNulls),
                in -> {
                    ByOffsetAccumulator a = new ByOffsetAccumulator(slots, type, latest, ignoreNulls);
                    a.present = in.readBoolean();
                    if (a.present) {
                        a.value = ValueCodec.read(in, type);
                    }
                    return a;
                });
    }

    static final class ByOffsetAccumulator implements Accumulator {
        private final ArgumentSlots slots;
        private final SqlType type;
        private final boolean latest;
        private final boolean ignoreNulls;
        private boolean present;
        private Object value;

        ByOffsetAccumulator(ArgumentSlots slots, SqlType type, boolean latest, boolean ignoreNulls) {
            this.slots = slots;
            this.type = type;
            this.latest = latest;
            this.ignoreNulls = ignoreNulls;
        }

        /** Offers a value that arrived after the current one. */
        private void offer(boolean candidatePresent, Object candidate) {
            if (candidatePresent && (latest || !present)) {
                present = true;
                value = candidate;
            }
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            Object v = slots.get(arguments, 0);
            offer(v != null || !ignoreNulls, v);
        }

        @Override
        public void merge(Accumulator other) {
            ByOffsetAccumulator o = (ByOffsetAccumulator) other;
            offer(o.present, o.value);
        }

        @Override
        public Object result() {
            return value;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            out.writeBoolean(present);
            if (present) {
                ValueCodec.write(out, type, value);
            }
        }
    }
}
