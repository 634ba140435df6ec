package dev.sluice.compiler;

import dev.sluice.grammar.SqlSyntaxException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;

import java.util.List;

/**
 * ksqlDB's grammar takes value expressions in {@code GROUP BY} and {@code PARTITION BY}, not
 * conditions: {@code GROUP BY data AND id} is a syntax error there (a condition in parentheses is a
 * value). Sluice's grammar takes any expression there, for Flink-style SQL, so the ksqlDB dialect
 * refuses a bare condition after parsing, with ksqlDB's {@code Syntax Error}.
 */
final class KsqlGroupingSyntax {
    private final String sql;
    private final int[] lineStarts;

    private KsqlGroupingSyntax(String sql) {
        this.sql = sql;
        this.lineStarts = starts(sql);
    }

    static void check(Script script, String sql) {
        KsqlGroupingSyntax checker = new KsqlGroupingSyntax(sql);
        for (ParsedStatement parsed : script.statements()) {
            Statement s = parsed.statement();
            if (s instanceof Statement.CreateAsSelect c) {
                checker.query(c.query());
            } else if (s instanceof Statement.InsertInto i) {
                checker.query(i.query());
            } else if (s instanceof Statement.QueryStatement q) {
                checker.query(q.query());
            }
        }
    }

    private void query(Query query) {
        query.with().forEach(w -> query(w.query()));
        body(query.body());
    }

    private void body(QueryBody body) {
        if (body instanceof QueryBody.Select select) {
            select.from().ifPresent(this::relation);
            keys("GROUP BY", select.groupBy());
            keys("PARTITION BY", select.partitionBy());
        } else if (body instanceof QueryBody.SetOperation set) {
            body(set.left());
            body(set.right());
        } else if (body instanceof QueryBody.Nested nested) {
            query(nested.query());
        }
    }

    private void relation(Relation relation) {
        if (relation instanceof Relation.Subquery sub) {
            query(sub.query());
        } else if (relation instanceof Relation.Join join) {
            relation(join.left());
            relation(join.right());
        }
    }

    private void keys(String clause, List<Expression> keys) {
        for (Expression key : keys) {
            if (condition(key) && !parenthesized(key)) {
                throw new SqlSyntaxException(key.location().line(), key.location().column(),
                        "Syntax Error\n" + clause + " takes values, not a condition: group by the columns, or put "
                                + "the condition in parentheses to group by its TRUE or FALSE",
                        null, null);
            }
        }
    }

    private static boolean condition(Expression e) {
        if (e instanceof Expression.Binary b) {
            return switch (b.operator()) {
                case AND, OR, EQ, NE, LT, LE, GT, GE -> true;
                default -> false;
            };
        }
        return e instanceof Expression.Not || e instanceof Expression.IsNull || e instanceof Expression.IsBoolean
                || e instanceof Expression.Between || e instanceof Expression.InList || e instanceof Expression.Like;
    }

    /** The character before the expression (spaces aside) opens a parenthesis around it. */
    private boolean parenthesized(Expression e) {
        int line = e.location().line();
        if (line < 1 || line > lineStarts.length) {
            return false;
        }
        int i = lineStarts[line - 1] + e.location().column() - 2;
        while (i >= 0 && Character.isWhitespace(sql.charAt(i))) {
            i--;
        }
        return i >= 0 && sql.charAt(i) == '(';
    }

    private static int[] starts(String sql) {
        int count = 1;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                starts[line++] = i + 1;
            }
        }
        return starts;
    }
}
