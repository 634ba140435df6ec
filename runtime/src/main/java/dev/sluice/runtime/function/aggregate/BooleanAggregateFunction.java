package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.Accumulator;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Aggregates of one BOOLEAN argument, all kept as two counts (TRUE and FALSE inputs; NULLs are
 * skipped) so that each retracts exactly:
 * <ul>
 *   <li>{@code COUNT_IF(b)}: number of TRUE inputs, BIGINT, 0 for none;</li>
 *   <li>{@code BOOL_AND(b)} (alias {@code EVERY}): TRUE when no input is FALSE, NULL without non-NULL input;</li>
 *   <li>{@code BOOL_OR(b)}: TRUE when some input is TRUE, NULL without non-NULL input.</li>
 * </ul>
 */
final class BooleanAggregateFunction implements AggregateFunction {

    enum Kind { COUNT_IF, BOOL_AND, BOOL_OR }

    private final Kind kind;

    BooleanAggregateFunction(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name();
    }

    @Override
    public Set<String> aliases() {
        return kind == Kind.BOOL_AND ? Set.of("EVERY") : Set.of();
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, 1);
        ArgumentChecks.bool(name(), arguments, 0);
        return kind == Kind.COUNT_IF ? ScalarType.BIGINT : ScalarType.BOOLEAN;
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        return Factories.of(() -> new TruthCountAccumulator(slots, kind),
                in -> {
                    TruthCountAccumulator a = new TruthCountAccumulator(slots, kind);
                    a.trueCount = StateIo.readVarLong(in);
                    a.falseCount = StateIo.readVarLong(in);
                    return a;
                });
    }

    static final class TruthCountAccumulator implements Accumulator {
        private final ArgumentSlots slots;
        private final Kind kind;
        private long trueCount;
        private long falseCount;

        TruthCountAccumulator(ArgumentSlots slots, Kind kind) {
            this.slots = slots;
            this.kind = kind;
        }

        private void count(Object[] arguments, int delta) {
            Object v = slots.get(arguments, 0);
            if (Boolean.TRUE.equals(v)) {
                trueCount += delta;
            } else if (Boolean.FALSE.equals(v)) {
                falseCount += delta;
            }
        }

        @Override
        public void add(Object[] arguments, long timestamp) {
            count(arguments, 1);
        }

        @Override
        public boolean canRetract() {
            return true;
        }

        @Override
        public void retract(Object[] arguments, long timestamp) {
            count(arguments, -1);
        }

        @Override
        public void merge(Accumulator other) {
            TruthCountAccumulator o = (TruthCountAccumulator) other;
            trueCount += o.trueCount;
            falseCount += o.falseCount;
        }

        @Override
        public Object result() {
            return switch (kind) {
                case COUNT_IF -> trueCount;
                case BOOL_AND -> trueCount + falseCount == 0 ? null : falseCount == 0;
                case BOOL_OR -> trueCount + falseCount == 0 ? null : trueCount > 0;
            };
        }

        @Override
        public void write(DataOutput out) throws IOException {
            StateIo.writeVarLong(out, trueCount);
            StateIo.writeVarLong(out, falseCount);
        }
    }
}
