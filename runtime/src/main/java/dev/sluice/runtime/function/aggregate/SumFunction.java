package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AccumulatorFactory;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;

/**
 * {@code SUM(x)}: INTEGER/BIGINT give BIGINT, DOUBLE gives DOUBLE, DECIMAL(p, s) gives
 * DECIMAL(38, s). NULLs are skipped; no non-NULL input gives NULL, or 0 in ksqlDB's dialect
 * ({@link #ksql()}: ksqlDB's SUM starts at 0). Retractable.
 */
final class SumFunction implements AggregateFunction {
    private final boolean zeroWhenEmpty;

    SumFunction() {
        this(false);
    }

    private SumFunction(boolean zeroWhenEmpty) {
        this.zeroWhenEmpty = zeroWhenEmpty;
    }

    /** ksqlDB's SUM: 0 for a group without a non-NULL value. */
    static SumFunction ksql() {
        return new SumFunction(true);
    }

    @Override
    public String name() {
        return "SUM";
    }

    @Override
    public SqlType returnType(List<Expr> arguments) {
        ArgumentChecks.arity(name(), arguments, 1, 1);
        SqlType t = ArgumentChecks.numeric(name(), arguments, 0);
        if (t instanceof DecimalType d) {
            return new DecimalType(DecimalType.MAX_PRECISION, d.scale());
        }
        return t == ScalarType.DOUBLE ? ScalarType.DOUBLE : ScalarType.BIGINT;
    }

    @Override
    public AccumulatorFactory implement(List<Expr> arguments, SqlType returnType, List<Boolean> sortDescending) {
        ArgumentSlots slots = ArgumentSlots.of(arguments);
        SumAccumulator.Kind kind = SumAccumulator.Kind.of(arguments.get(0).type());
        return Factories.of(() -> new SumAccumulator(slots, kind, returnType, zeroWhenEmpty),
                in -> new SumAccumulator(slots, kind, returnType, zeroWhenEmpty).readInto(in));
    }
}
