package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;

/**
 * {@code SLUICE_JOIN_KEY('join side', key IS NOT NULL AND ...)}: the filter the join planner puts
 * before an inner join side's re-key. A row with a NULL key part can match nothing (SQL's
 * {@code NULL = x} is never true; Flink drops it without a trace), so it never crosses the
 * repartition topic; instead of vanishing it fails with reason {@code null_key}, and the
 * processing exception handler counts it, logs it with topic-partition@offset and dead-letters it.
 */
final class NullJoinKeys {
    static final String NAME = "SLUICE_JOIN_KEY";

    private NullJoinKeys() {
    }

    static List<ScalarFunction> all() {
        return List.of(Fn.of(NAME, args -> {
            if (args.size() != 2 || !(args.get(0) instanceof Expr.Literal) || args.get(1).type() != ScalarType.BOOLEAN) {
                throw new FunctionException(NAME + " expects ('join side', BOOLEAN key-not-null condition)");
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            String side = String.valueOf(((Expr.Literal) args.get(0)).value());
            return a -> {
                if (!Boolean.TRUE.equals(a[1])) {
                    throw new DroppedRecordException(DropReason.NULL_KEY,
                            "the join key of " + side + " is NULL: an inner join cannot match it");
                }
                return Boolean.TRUE;
            };
        }).seeingNulls());
    }
}
