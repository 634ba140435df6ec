package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Relation;

import java.util.Locale;
import java.util.Optional;

/**
 * ksqlDB's words for the joins it refuses ({@code JoinNode}, {@code Analyzer}), used in the
 * ksqlDB dialect with Sluice's own account as the hint. Sources are named as ksqlDB names them:
 * by alias, else by name, in upper case.
 */
final class KsqlJoinWords {
    private KsqlJoinWords() {
    }

    /** Not on the table's whole PRIMARY KEY: ksqlDB names the kind of join and the condition as written. */
    static SqlException notOnKey(Relation.Join join, boolean tableTable, SqlException sluice) {
        String rule = tableTable ? "table-table joins require to join on the primary key of the right input table"
                : "stream-table joins require to join on the table's primary key";
        return new SqlException(sluice.line(), sluice.column(), "Invalid join condition: " + rule + ". Got "
                + condition(join) + ".", sluice.getMessage());
    }

    /** A table on the left of a stream. */
    static SqlException tableStream(Relation.Join join, String left, String right, SqlException sluice) {
        return new SqlException(sluice.line(), sluice.column(), "Invalid join order: table-stream joins are not "
                + "supported; only stream-table joins. Got " + name(left) + " " + type(join.type()) + " "
                + name(right) + ".", sluice.hint().orElse(null));
    }

    /** A stream FULL JOIN a table. */
    static SqlException fullStreamTable(String left, String right, SqlException sluice) {
        return new SqlException(sluice.line(), sluice.column(), "Invalid join type: full-outer join not supported "
                + "for stream-table join. Got " + name(left) + " [FULL] OUTER JOIN " + name(right) + ".",
                sluice.hint().orElse(null));
    }

    /**
     * ksqlDB's {@code Analyzer}: each side of a join's equality must read columns of one source; a
     * constant side ({@code T.ID = 0}) is named with the equality.
     */
    static Optional<SqlException> constantSide(Expression condition, SqlException sluice) {
        if (condition instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.AND) {
            return constantSide(b.left(), sluice).or(() -> constantSide(b.right(), sluice));
        }
        if (condition instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.EQ) {
            for (Expression side : new Expression[] {b.left(), b.right()}) {
                if (!AstWalker.anyMatch(side, n -> n instanceof Expression.ColumnRef)) {
                    return Optional.of(new SqlException(sluice.line(), sluice.column(), "Invalid comparison "
                            + "expression '" + KsqlText.expression(side) + "' in join '" + KsqlText.expression(b)
                            + "'. Each side of the join comparision must contain references from exactly one source.",
                            sluice.getMessage()));
                }
            }
        }
        return Optional.empty();
    }

    private static String condition(Relation.Join join) {
        String text = join.condition().map(KsqlText::expression).orElse("");
        return text.startsWith("(") && text.endsWith(")") ? text.substring(1, text.length() - 1) : text;
    }

    private static String name(String label) {
        return label.toUpperCase(Locale.ROOT);
    }

    private static String type(Relation.JoinType type) {
        return switch (type) {
            case LEFT -> "LEFT [OUTER] JOIN";
            case RIGHT -> "RIGHT [OUTER] JOIN";
            case FULL -> "[FULL] OUTER JOIN";
            default -> "[INNER] JOIN";
        };
    }
}
