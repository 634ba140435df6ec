package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.NodeLocation;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** ksqlDB's rules and words for aggregate calls ({@code UdafUtil}, {@code SchemaKGroupedTable}), ksqlDB dialect only. */
final class KsqlAggregateWords {
    /**
     * ksqlDB's aggregates that can take a row back out (its {@code TableUdaf}s): only these aggregate
     * a table. Sluice could retract MIN and MAX too; the refusal is ksqlDB's.
     */
    private static final Set<String> TABLE_AGGREGATES = Set.of("COUNT", "SUM", "AVG", "COLLECT_LIST", "HISTOGRAM",
            "CORRELATION", "STDDEV_SAMP", "STDDEV_SAMPLE", "SUM_LIST", "ATTR", "ARRAY_AGG");

    private KsqlAggregateWords() {
    }

    /**
     * ksqlDB's {@code UdafUtil}: an aggregate's arguments after its column are its initial arguments,
     * and must be literals. Called when Sluice refused the call's arguments.
     */
    static void literalParameters(String name, Expression.FunctionCall f) {
        List<Expression> args = f.arguments();
        for (int i = 1; i < args.size(); i++) {
            Expression a = args.get(i);
            if (!isLiteral(a)) {
                throw new SqlException(a.location(), "Parameter " + (i + 1) + " passed to function " + name
                        + " must be a literal constant, but was expression: '" + KsqlText.expression(a) + "'",
                        "write a constant here: it configures " + name + " once, not per row");
            }
        }
    }

    private static boolean isLiteral(Expression e) {
        return e instanceof Expression.StringLiteral || e instanceof Expression.BooleanLiteral
                || e instanceof Expression.NullLiteral || e instanceof Expression.NumericLiteral
                || e instanceof Expression.TypedLiteral || e instanceof Expression.Negate n && isLiteral(n.value());
    }

    /** ksqlDB's {@code SchemaKGroupedTable}: the aggregates of a table, each of which must be a table aggregate. */
    static void tableAggregates(List<String> functions, NodeLocation at) {
        List<String> refused = functions.stream().map(f -> f.toUpperCase(Locale.ROOT))
                .filter(f -> !TABLE_AGGREGATES.contains(f)).distinct().toList();
        if (refused.isEmpty()) {
            return;
        }
        String names = refused.size() == 1 ? refused.get(0)
                : String.join(", ", refused.subList(0, refused.size() - 1)) + " and " + refused.get(refused.size() - 1);
        throw new SqlException(at, "The aggregation function" + (refused.size() == 1 ? "" : "s") + " " + names
                + " cannot be applied to a table source, only to a stream source.",
                "aggregate the stream the table comes from; over a table ksqlDB takes rows back out only of "
                        + "COUNT, SUM, AVG, COLLECT_LIST, HISTOGRAM, CORRELATION, STDDEV_SAMP and SUM_LIST");
    }
}
