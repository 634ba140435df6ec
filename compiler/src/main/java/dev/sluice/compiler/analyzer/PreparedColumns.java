package dev.sluice.compiler.analyzer;

import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.serdes.row.Column;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of an aggregation's "prepare" row, each deterministic expression computed once:
 * {@code COUNT(DISTINCT bidder) FILTER (WHERE price < 10000)} and
 * {@code COUNT(*) FILTER (WHERE price < 10000)} read one {@code price < 10000} column, and four
 * {@code COUNT(DISTINCT bidder)} calls one {@code bidder} column (a GROUP BY expression too when
 * an argument repeats it). Nexmark q16's prepare row falls from 21 columns to 9 this way; every
 * column is evaluated per input row and, for a stream, serialized through the repartition topic.
 * An expression that reads a clock or a random source gets a column per occurrence: two calls of
 * {@code RAND()} are two draws.
 */
final class PreparedColumns {
    private final List<Expr> expressions;
    private final List<Column> columns;
    private final FunctionCatalog functions;
    private final Map<Expr, Integer> positions = new HashMap<>();

    /** Appends to {@code expressions} and {@code columns}, which may already hold the group keys (shared too). */
    PreparedColumns(List<Expr> expressions, List<Column> columns, FunctionCatalog functions) {
        this.expressions = expressions;
        this.columns = columns;
        this.functions = functions;
        for (int i = 0; i < expressions.size(); i++) {
            remember(expressions.get(i), i);
        }
    }

    /** A reference to the column computing {@code e}, added (named {@code prefix} + position) if none does yet. */
    Expr.InputRef column(String prefix, Expr e) {
        Integer existing = positions.get(e);
        if (existing != null) {
            return new Expr.InputRef(existing, e.type());
        }
        int position = expressions.size();
        expressions.add(e);
        columns.add(new Column(prefix + position, e.type()));
        remember(e, position);
        return new Expr.InputRef(position, e.type());
    }

    private void remember(Expr e, int position) {
        if (functions.deterministic(e)) {
            positions.putIfAbsent(e, position);
        }
    }
}
