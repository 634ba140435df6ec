package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.Binary;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Top-N: the rank limits a filter implies, and ORDER BY ... LIMIT n of a persistent query. */
final class TopN {
    private TopN() {
    }

    /**
     * {@code rn <= 5 AND ...} (also {@code rn < 6}, {@code rn = 1}, {@code 5 >= rn}): column name (lower
     * case) to the largest rank the filter can keep. The filter itself still runs; the limit only
     * lets the ranking keep and emit fewer rows.
     */
    static Map<String, Long> rankLimits(Expression filter) {
        Map<String, Long> limits = new HashMap<>();
        collect(filter, limits);
        return limits;
    }

    private static void collect(Expression e, Map<String, Long> limits) {
        if (!(e instanceof Binary b)) {
            return;
        }
        if (b.operator() == BinaryOperator.AND) {
            collect(b.left(), limits);
            collect(b.right(), limits);
            return;
        }
        BinaryOperator op = b.operator();
        Expression column = b.left();
        Expression bound = b.right();
        if (b.left() instanceof Expression.NumericLiteral) {
            column = b.right();
            bound = b.left();
            op = switch (op) {
                case GE -> BinaryOperator.LE;
                case GT -> BinaryOperator.LT;
                default -> op;
            };
        }
        if (!(column instanceof Expression.ColumnRef ref) || !(bound instanceof Expression.NumericLiteral n)) {
            return;
        }
        long value;
        try {
            value = Long.parseLong(n.text());
        } catch (NumberFormatException notAnInteger) {
            return;
        }
        Long limit = switch (op) {
            case LE, EQ -> value;
            case LT -> value - 1;
            default -> null;
        };
        if (limit != null && limit >= 1) {
            limits.merge(ref.last().toLowerCase(Locale.ROOT), limit, Math::min);
        }
    }

    /**
     * {@code ORDER BY keys LIMIT n} over a query's output: a table of the top n rows by position.
     * Without keys every row ties, and ties keep arrival order: the first n rows.
     */
    static PlannedRelation orderByLimit(PlannedRelation planned, List<SortItem> orderBy, long limit, StepNames names,
                                        dev.sluice.grammar.ast.NodeLocation at) {
        Step input = planned.step();
        Schema schema = input.schema();
        if (input.shape() == Step.Shape.TABLE) {
            for (Column key : input.keySchema().columns()) {
                if (schema.indexOf(key.name()).isEmpty()) {
                    throw new SqlException(at, "ORDER BY ... LIMIT over a table needs its key "
                            + "column `" + key.name() + "` in the SELECT list", "a row is retracted by its key");
                }
            }
        }
        List<RankStep.SortKey> keys = new ArrayList<>();
        for (SortItem item : orderBy) {
            keys.add(new RankStep.SortKey(outputColumn(item, schema), item.descending(),
                    item.nullsFirst().orElse(item.descending())));
        }
        Schema key = new Schema(List.of(new Column("position", ScalarType.BIGINT)));
        RankStep step = new RankStep(names.name("order-limit"), input, RankStep.Function.ROW_NUMBER, List.of(), keys,
                limit, false, key, schema);
        return new PlannedRelation(step, planned.scope());
    }

    private static int outputColumn(SortItem item, Schema schema) {
        if (item.key() instanceof Expression.ColumnRef ref && ref.parts().size() == 1) {
            for (int i = 0; i < schema.size(); i++) {
                if (schema.column(i).name().equalsIgnoreCase(ref.last())) {
                    return i;
                }
            }
        }
        if (item.key() instanceof Expression.NumericLiteral n) {
            int i = Integer.parseInt(n.text()) - 1;
            if (i >= 0 && i < schema.size()) {
                return i;
            }
        }
        throw new SqlException(item.location(), "ORDER BY of a persistent query must name an output column",
                "output columns: " + String.join(", ", schema.names()));
    }
}
