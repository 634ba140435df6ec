package dev.sluice.cli.serve;

import dev.sluice.compiler.CompiledQuery;
import dev.sluice.grammar.SqlFormatter;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.grammar.ast.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ORDER BY what the SELECT does not return ({@code ORDER BY created_at} beside other columns,
 * {@code ORDER BY AVG(gpu_hours)}): as in PostgreSQL, a pull query sorts by any expression of its
 * rows. The SELECT is asked again with each such sort key as one more output column named
 * {@code $order_n}, sorted by those, and the extra columns are left out of the answer. (A
 * continuous query has no end to sort by; Flink sorts a stream by its time attribute only.)
 */
final class HiddenOrderColumns {
    static final String PREFIX = "$order_";

    /** The rewritten SELECT and how many of its columns the user asked for. */
    record Rewritten(String sql, int visibleColumns) {
    }

    private HiddenOrderColumns() {
    }

    static Optional<Rewritten> rewrite(String select, CompiledQuery compiled) {
        if (compiled.orderBy().stream().allMatch(item -> outputColumn(item, compiled))) {
            return Optional.empty();
        }
        Statement parsed;
        try {
            parsed = SqlParser.parseStatement(select);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!(parsed instanceof Statement.QueryStatement q) || !(q.query().body() instanceof QueryBody.Select body)
                || body.distinct()) {
            return Optional.empty(); // DISTINCT: PostgreSQL requires ORDER BY keys among the output columns too
        }
        NodeLocation here = q.query().location();
        List<SelectItem> items = new ArrayList<>(body.items());
        List<SortItem> order = new ArrayList<>();
        int n = 0;
        for (SortItem item : q.query().orderBy()) {
            if (outputColumn(item, compiled)) {
                order.add(item);
                continue;
            }
            Identifier name = new Identifier(PREFIX + n++, true, here);
            items.add(new SelectItem.SingleColumn(item.key(), Optional.of(name), here));
            order.add(new SortItem(new Expression.ColumnRef(List.of(name), here), item.descending(), item.nullsFirst(),
                    item.location()));
        }
        QueryBody.Select widened = new QueryBody.Select(body.distinct(), body.distinctOn(), items, body.from(),
                body.window(), body.where(), body.groupBy(), body.having(), body.qualify(), body.into(), body.options(),
                body.location(), body.partitionBy());
        Query query = new Query(q.query().with(), widened, order, q.query().limit(), q.query().emit(), here);
        return Optional.of(new Rewritten(SqlFormatter.format(query), compiled.schema().size()));
    }

    /** A sort key naming an output column (or its position), which the printed rows can be sorted by. */
    private static boolean outputColumn(SortItem item, CompiledQuery compiled) {
        if (item.key() instanceof Expression.ColumnRef ref) {
            String last = ref.last().toLowerCase(Locale.ROOT);
            return compiled.schema().names().stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(last));
        }
        return item.key() instanceof Expression.NumericLiteral;
    }
}
