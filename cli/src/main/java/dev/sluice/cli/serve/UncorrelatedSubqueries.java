package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.Statement;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pull query reads one snapshot, so a sub-query that does not refer to the outer query
 * ({@code WHERE accuracy > (SELECT AVG(accuracy) FROM runs)}, {@code x IN (SELECT ...)}) has one
 * answer: it is asked first, as a pull query of its own, and its value is written into the outer
 * SELECT as a literal (a list for IN), as a batch engine would evaluate it once. A sub-query that
 * does not compile on its own (it refers to outer columns: correlated) is left as written, and the
 * outer query says it is not supported. A continuous query would need the sub-query's result as
 * an updating input (Flink plans it as a join with a one-row aggregate): not done here.
 */
final class UncorrelatedSubqueries {
    private UncorrelatedSubqueries() {
    }

    /** {@code sql} with each uncorrelated sub-query replaced by its value; {@code evaluate} answers a SELECT. */
    static String inline(String sql, Function<String, List<ArrayNode>> evaluate) {
        Statement parsed;
        try {
            parsed = SqlParser.parseStatement(sql);
        } catch (RuntimeException e) {
            return sql; // the compiler reports it with its position
        }
        if (!(parsed instanceof Statement.QueryStatement)) {
            return sql;
        }
        List<Expression> found = new ArrayList<>();
        collect(parsed, found);
        StringBuilder out = new StringBuilder(sql);
        // from the last to the first, so earlier offsets stay valid
        found.sort((a, b) -> Integer.compare(offset(sql, query(b).location()), offset(sql, query(a).location())));
        for (Expression e : found) {
            int start = openParen(sql, offset(sql, query(e).location()));
            int end = start < 0 ? -1 : closeParen(sql, start);
            if (end < 0) {
                continue;
            }
            List<ArrayNode> rows;
            try {
                rows = evaluate.apply(sql.substring(start + 1, end));
            } catch (SqlException | dev.sluice.cli.UsageException notOnItsOwn) {
                continue; // correlated, or not a query that stands alone
            }
            Optional<String> value = e instanceof Expression.ScalarSubquery ? scalar(rows)
                    : list(rows, ((Expression.InSubquery) e).negated());
            value.ifPresent(v -> out.replace(start, end + 1, v));
        }
        return out.toString();
    }

    private static Query query(Expression e) {
        return e instanceof Expression.ScalarSubquery s ? s.query() : ((Expression.InSubquery) e).query();
    }

    /** Sub-queries in expressions, outermost only (one inside another is part of its text). */
    private static void collect(Object node, List<Expression> found) {
        if (node instanceof Expression.ScalarSubquery || node instanceof Expression.InSubquery) {
            found.add((Expression) node);
            if (node instanceof Expression.InSubquery in) {
                collect(in.value(), found);
            }
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> collect(item, found));
        } else if (node instanceof Optional<?> o) {
            o.ifPresent(v -> collect(v, found));
        } else if (node instanceof Record r && !(node instanceof NodeLocation)) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    collect(c.getAccessor().invoke(r), found);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    private static Optional<String> scalar(List<ArrayNode> rows) {
        if (rows.size() > 1) {
            throw new SqlException(1, 1, "more than one row returned by a sub-query used as an expression",
                    "make it return one row (an aggregate, or LIMIT 1)");
        }
        if (rows.isEmpty()) {
            return Optional.of("NULL");
        }
        if (rows.get(0).size() != 1) {
            throw new SqlException(1, 1, "a sub-query used as an expression must return one column", null);
        }
        return literal(rows.get(0).get(0));
    }

    private static Optional<String> list(List<ArrayNode> rows, boolean negated) {
        if (rows.isEmpty()) {
            return negated ? Optional.empty() : Optional.of("(NULL)"); // x NOT IN (nothing) is true: left as written
        }
        List<String> values = new ArrayList<>();
        for (ArrayNode row : rows) {
            Optional<String> v = row.size() == 1 ? literal(row.get(0)) : Optional.empty();
            if (v.isEmpty()) {
                return Optional.empty();
            }
            values.add(v.get());
        }
        return Optional.of("(" + String.join(", ", values) + ")");
    }

    /** Numbers, text, booleans and NULL; other values (timestamps, rows) are left to the compiler. */
    private static Optional<String> literal(JsonNode v) {
        if (v == null || v.isNull()) {
            return Optional.of("NULL");
        }
        if (v.isNumber()) {
            return Optional.of(v.isFloatingPointNumber() && !v.isBigDecimal() ? Double.toString(v.doubleValue())
                    : v.asText());
        }
        if (v.isBoolean()) {
            return Optional.of(v.asBoolean() ? "TRUE" : "FALSE");
        }
        if (v.isTextual()) {
            return Optional.of("'" + v.textValue().replace("'", "''") + "'");
        }
        return Optional.empty();
    }

    private static int offset(String sql, NodeLocation at) {
        int offset = 0;
        for (int line = 1; line < at.line(); line++) {
            offset = sql.indexOf('\n', offset) + 1;
        }
        return offset + at.column() - 1;
    }

    /**
     * The parenthesis a sub-query is written in: its location is that parenthesis or its first
     * keyword, depending on the form, so look forward over blanks first, then back.
     */
    private static int openParen(String sql, int from) {
        int ahead = Math.max(0, from);
        while (ahead < sql.length() && Character.isWhitespace(sql.charAt(ahead))) {
            ahead++;
        }
        if (ahead < sql.length() && sql.charAt(ahead) == '(') {
            return ahead;
        }
        for (int i = Math.min(from, sql.length()) - 1; i >= 0; i--) {
            char c = sql.charAt(i);
            if (c == '(') {
                return i;
            }
            if (!Character.isWhitespace(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static int closeParen(String sql, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
