package dev.sluice.runtime.function.scalar;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.errors.DropReason;
import dev.sluice.runtime.errors.DroppedRecordException;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.function.ScalarFunction;
import dev.sluice.serdes.row.ScalarType;

import java.util.List;

/**
 * {@code SLUICE_CHECK('name', condition, 'condition text')}: a source's CHECK constraint, planned
 * by the compiler as a filter over every record of that source. It is TRUE when the condition is
 * TRUE or UNKNOWN (NULL), as SQL's CHECK is, and otherwise fails that record only:
 * the processing exception handler counts it, logs it with topic-partition@offset and dead-letters
 * it with the constraint's name in the error header, and the pipeline goes on.
 */
final class CheckConstraints {
    static final String NAME = "SLUICE_CHECK";

    private CheckConstraints() {
    }

    static List<ScalarFunction> all() {
        return List.of(Fn.of(NAME, args -> {
            if (args.size() != 3 || !(args.get(0) instanceof Expr.Literal) || !(args.get(2) instanceof Expr.Literal)
                    || args.get(1).type() != ScalarType.BOOLEAN && args.get(1).type() != ScalarType.NULL) {
                throw new FunctionException(NAME + " expects ('name', BOOLEAN condition, 'text')");
            }
            return ScalarType.BOOLEAN;
        }, (args, type) -> {
            String name = String.valueOf(((Expr.Literal) args.get(0)).value());
            String text = String.valueOf(((Expr.Literal) args.get(2)).value());
            return a -> {
                if (Boolean.FALSE.equals(a[1])) {
                    throw new DroppedRecordException(DropReason.CHECK_VIOLATION, "CHECK constraint " + name + " violated: " + text);
                }
                return Boolean.TRUE;
            };
        }).seeingNulls());
    }
}
