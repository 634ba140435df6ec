package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;

/**
 * {@code SLUICE_GROUP_KEY(key IS NOT NULL AND ...)}: the filter the aggregation planner puts before
 * a ksqlDB-dialect stream's GROUP BY re-key. ksqlDB excludes a row whose GROUP BY expression (any
 * of them) is NULL from the table and reports it in its processing log; here it fails with reason
 * {@code null_key}, so the processing exception handler counts it, logs it with
 * topic-partition@offset and dead-letters it instead of letting it vanish.
 */
final class NullGroupKeys {
    static final String NAME = "SLUICE_GROUP_KEY";

    private NullGroupKeys() {
    }

    static List<ScalarFunction> all() {
        return List.of(Fn.of(NAME, args -> {
            if (args.size() != 1 || args.get(0).type() != ScalarType.BOOLEAN) {
                throw new FunctionException(NAME + " expects (BOOLEAN key-not-null condition)");
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> a -> {
            if (!Boolean.TRUE.equals(a[0])) {
                throw new DroppedRecordException(DropReason.NULL_KEY,
                        "a GROUP BY expression is NULL: the row is excluded from the table, as ksqlDB excludes it");
            }
            return Boolean.TRUE;
        }).seeingNulls());
    }
}
