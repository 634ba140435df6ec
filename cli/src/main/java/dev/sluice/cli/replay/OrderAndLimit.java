package dev.sluice.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.UsageException;
import dev.sluice.compiler.CompiledQuery;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.SortItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ORDER BY and LIMIT of the printed query, applied to the printed rows (a stream has no end to
 * sort by; a replayed bounded input does). Keys name output columns or positions.
 */
public final class OrderAndLimit {
    private OrderAndLimit() {
    }

    public static List<ObjectNode> apply(List<ObjectNode> rows, CompiledQuery q) {
        List<ObjectNode> out = new ArrayList<>(rows);
        if (!q.orderBy().isEmpty()) {
            Comparator<ObjectNode> order = null;
            for (SortItem item : q.orderBy()) {
                String column = column(item, q);
                Comparator<ObjectNode> c = (a, b) -> compare(a.get(column), b.get(column), item.descending(),
                        item.nullsFirst().orElse(item.descending()));
                order = order == null ? c : order.thenComparing(c);
            }
            out.sort(order);
        }
        if (q.limit().isPresent() && out.size() > q.limit().get()) {
            out = new ArrayList<>(out.subList(0, (int) (long) q.limit().get()));
        }
        return out;
    }

    private static String column(SortItem item, CompiledQuery q) {
        if (item.key() instanceof Expression.ColumnRef ref) {
            for (String name : q.schema().names()) {
                if (name.equalsIgnoreCase(ref.last())) {
                    return name;
                }
            }
        }
        if (item.key() instanceof Expression.NumericLiteral n) {
            int i = Integer.parseInt(n.text()) - 1;
            if (i >= 0 && i < q.schema().size()) {
                return q.schema().column(i).name();
            }
        }
        throw new UsageException("line " + item.location().line() + ":" + item.location().column()
                + ": ORDER BY must name an output column of the printed query");
    }

    /** NULLs last ascending and first descending, as in PostgreSQL, unless NULLS FIRST/LAST says otherwise. */
    private static int compare(JsonNode a, JsonNode b, boolean descending, boolean nullsFirst) {
        boolean an = a == null || a.isNull();
        boolean bn = b == null || b.isNull();
        if (an || bn) {
            if (an && bn) {
                return 0;
            }
            return an == nullsFirst ? -1 : 1;
        }
        int c = a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue())
                : a.asText().compareTo(b.asText());
        return descending ? -c : c;
    }
}
