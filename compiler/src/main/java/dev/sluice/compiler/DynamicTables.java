package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.Intervals;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.SuppressStep;

import java.util.List;
import java.util.Optional;

/**
 * Snowflake's {@code CREATE DYNAMIC TABLE ... TARGET_LAG = '1 minute'}: a continuously maintained
 * table whose updates are emitted at most once per key per target lag (Kafka Streams'
 * {@code suppress(untilTimeLimit)}, measured in stream time). {@code TARGET_LAG = DOWNSTREAM}, or a
 * result that is a stream (no aggregation: rows are never updated), emits every change at once.
 */
final class DynamicTables {
    private DynamicTables() {
    }

    static Step targetLag(Statement.CreateAsSelect create, Step root, String id, List<String> notes) {
        if (create.kind() != Statement.ObjectKind.DYNAMIC_TABLE) {
            return root;
        }
        Optional<Property> lag = create.objectOptions().stream()
                .filter(p -> p.key().equalsIgnoreCase("target_lag")).findFirst();
        if (lag.isEmpty()) {
            return root;
        }
        Expression value = lag.get().value();
        if (value instanceof Expression.ColumnRef ref && ref.last().equalsIgnoreCase("DOWNSTREAM")) {
            return root;
        }
        long ms;
        if (value instanceof Expression.StringLiteral s) {
            if (s.value().equalsIgnoreCase("DOWNSTREAM")) {
                return root;
            }
            ms = Intervals.millis(new Expression.IntervalLiteral(s.value(), false, Optional.empty(), Optional.empty(),
                    lag.get().location()));
        } else if (value instanceof Expression.IntervalLiteral interval) {
            ms = Intervals.millis(interval);
        } else {
            throw new SqlException(lag.get().location(), "TARGET_LAG must be a duration such as '1 minute', or DOWNSTREAM");
        }
        if (root.shape() != Step.Shape.TABLE) {
            notes.add(create.name().simpleName() + ": TARGET_LAG has no effect: the result is append-only, each row "
                    + "is emitted once");
            return root;
        }
        return new SuppressStep(id + "-target-lag", root, ms);
    }
}
