package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.JoinType;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** ksqlDB's dialect in joins: the join key ksqlDB's planner gives the joined rows. */
final class KsqlJoins {
    private KsqlJoins() {
    }

    /**
     * The key of {@code join} over its inputs' scopes; {@code leftTableKey} is the left input's key
     * when both inputs are tables (a join on other left columns is a foreign-key join). Empty for an
     * ON with several equalities, which ksqlDB refuses and Sluice joins on a composite key.
     */
    static Optional<KsqlJoinKey> key(Relation.Join join, Scope left, Scope right, Optional<List<Expr>> leftTableKey,
                                     KsqlJoinKey leftKey, KsqlJoinKey rightKey, Scope joined, FunctionCatalog functions) {
        JoinCondition on = JoinCondition.analyze(join.condition().get(), left, right, functions);
        if (on.leftKeys().size() != 1) {
            return Optional.empty();
        }
        if (leftTableKey.isPresent() && !leftTableKey.get().isEmpty() && !leftTableKey.get().equals(on.leftKeys().stream().map(KsqlJoinKey::uncast).toList())
                && leftTableKey.get().stream().allMatch(k -> k instanceof Expr.InputRef)) {
            return Optional.of(KsqlJoinKey.foreign(leftTableKey.get(), joined));
        }
        JoinType type = switch (join.type()) {
            case LEFT -> JoinType.LEFT;
            case FULL -> JoinType.FULL;
            default -> JoinType.INNER;
        };
        int leftWidth = left.size();
        return Optional.of(KsqlJoinKey.of(leftKey, rightKey, leftWidth, on.leftKeys().get(0),
                JoinCondition.shift(on.rightKeys().get(0), leftWidth), type, join.type() == Relation.JoinType.RIGHT,
                joined));
    }

    /**
     * ksqlDB's synthetic join key: a join whose key is no source column (a FULL join, or ON over
     * expressions) has a column {@code ROWKEY} holding the record key, first in {@code *}. Added in
     * front of the joined row, so that the query can select it (and a sink writes it as the key).
     */
    static PlannedRelation withSyntheticKey(Step joined, Scope scope, KsqlJoinKey key, String stepName) {
        List<Expr> exprs = new ArrayList<>();
        exprs.add(key.recordKey());
        List<ScopeColumn> columns = new ArrayList<>();
        columns.add(new ScopeColumn(Optional.empty(), key.synthetic().get(), key.recordKey().type(), 0, false));
        for (ScopeColumn c : scope.columns()) {
            exprs.add(new Expr.InputRef(c.index(), c.type()));
            columns.add(new ScopeColumn(c.relation(), c.name(), c.type(), c.index() + 1, c.hidden()));
        }
        OptionalInt rowtime = scope.rowtimeColumn().isPresent()
                ? OptionalInt.of(scope.rowtimeColumn().getAsInt() + 1) : OptionalInt.empty();
        Scope shifted = new Scope(columns, rowtime, scope.watermarkDelayMs());
        Step step = new ProjectStep(stepName, joined, exprs, shifted.schema());
        return new PlannedRelation(step, shifted, Optional.empty(), Optional.of(key.shifted(1)));
    }

    /**
     * ksqlDB's refusal of a join on other columns than the right table's key:
     * {@code Invalid join condition: table-table joins require to join on the primary key of the
     * right input table. Got LEFT_TABLE.ID1 = RIGHT_TABLE.F2.} ({@code kind} "stream-table" or
     * "table-table"), the ON written with each column qualified.
     */
    static Optional<dev.sluice.grammar.SqlException> keyMismatch(Relation.Join join, Scope joined, String kind) {
        if (!(join.condition().orElse(null) instanceof dev.sluice.grammar.ast.Expression.Binary b)
                || b.operator() != dev.sluice.grammar.ast.Expression.BinaryOperator.EQ) {
            return Optional.empty();
        }
        Optional<String> l = qualified(b.left(), joined);
        Optional<String> r = qualified(b.right(), joined);
        if (l.isEmpty() || r.isEmpty()) {
            return Optional.empty();
        }
        String what = kind.equals("table-table") ? "table-table joins require to join on the primary key of the right "
                + "input table" : "stream-table joins require to join on the table's primary key";
        return Optional.of(new dev.sluice.grammar.SqlException(b.location(), "Invalid join condition: " + what
                + ". Got " + l.get() + " = " + r.get() + ".",
                "Kafka Streams matches a table by its key: join on the right table's PRIMARY KEY"));
    }

    private static Optional<String> qualified(dev.sluice.grammar.ast.Expression e, Scope joined) {
        if (!(e instanceof dev.sluice.grammar.ast.Expression.ColumnRef ref) || ref.parts().size() > 2) {
            return Optional.empty();
        }
        Optional<String> relation = ref.parts().size() == 2 ? Optional.of(ref.parts().get(0).value()) : Optional.empty();
        try {
            return joined.find(relation, ref.parts().get(ref.parts().size() - 1))
                    .map(c -> c.relation().orElse("").toUpperCase(java.util.Locale.ROOT) + "." + c.name());
        } catch (dev.sluice.grammar.SqlException ambiguous) {
            return Optional.empty();
        }
    }
}
