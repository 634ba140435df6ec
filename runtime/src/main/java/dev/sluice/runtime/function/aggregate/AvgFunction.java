package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * {@code AVG(x)}: always DOUBLE, a deliberate difference from Flink (where AVG(BIGINT) truncates to
 * BIGINT): an average of integers is rarely wanted as an integer. NULLs are skipped; no non-NULL
 * input gives NULL, or 0.0 in ksqlDB's dialect ({@link #ksql()}: ksqlDB's AVG maps a zero count to
 * 0.0). Retractable.
 */
final class AvgFunction implements AggregateFunction {
    private final boolean zeroWhenEmpty;

    AvgFunction() {
        this(false);
    }

    private AvgFunction(boolean zeroWhenEmpty) {
        this.zeroWhenEmpty = zeroWhenEmpty;
    }

    /** ksqlDB's AVG: 0.0 for a group without a non-NULL value. */
    static AvgFunction ksql() {
        return new AvgFunction(true);
    }

    @Override
    public String name() {
        return "AVG";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        return ArgumentChecks.oneNumericToDouble(name(), arguments);
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SqlType input = arguments.get(0).type();
        SumAccumulator.Kind kind = SumAccumulator.Kind.of(input);
        SqlType sumType = input instanceof DecimalType d ? new DecimalType(DecimalType.MAX_PRECISION, d.scale()) : input;
        return Factories.of(() -> new AvgAccumulator(slots, kind, sumType, zeroWhenEmpty),
                in -> new AvgAccumulator(slots, kind, sumType, zeroWhenEmpty).readInto(in));
    }

    static final class AvgAccumulator extends SumAccumulator {
        AvgAccumulator(ArgumentSlots slots, Kind kind, SqlType sumType, boolean zeroWhenEmpty) {
            super(slots, kind, sumType, zeroWhenEmpty);
        }

        @Override
        public Object result() {
            return average();
        }
    }
}
