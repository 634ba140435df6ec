package dev.sluice.compiler.analyzer;

import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A SELECT's {@code PARTITION BY} (ksqlDB's): the re-key step, and the columns ksqlDB's
 * {@code SELECT *} lists over the re-keyed rows, which differ from the source's.
 */
final class PartitionByPlanner {
    private static final Set<String> ROW_PSEUDO_COLUMNS = Set.of("ROWTIME", "ROWPARTITION", "ROWOFFSET");

    private PartitionByPlanner() {
    }

    /**
     * ksqlDB's {@code PARTITION BY}: the rows re-keyed (and repartitioned) by the expressions; a
     * ksqlDB sink then writes those columns as the record key.
     */
    static Step partitionBy(QueryBody.Select select, Step input, Scope scope, FunctionCatalog functions,
                            StepNames names, Dialect dialect) {
        if (!select.groupBy().isEmpty() || select.window().isPresent()) {
            throw new SqlException(select.partitionBy().get(0).location(), "PARTITION BY cannot be combined with GROUP BY",
                    "GROUP BY already keys the result by its grouping columns");
        }
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "PARTITION BY");
        List<Expr> keys = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (Expression e : select.partitionBy()) {
            Expr key = analyzer.analyze(e);
            keys.add(key);
            columns.add(new Column(e instanceof Expression.ColumnRef ref ? ref.last() : "KSQL_COL_" + columns.size(),
                    key.type()));
        }
        RekeyStep rekey = new RekeyStep(names.name("partitionby"), input, keys, new Schema(columns));
        return dialect == Dialect.KSQL ? rekey.withTombstoneKey(TombstoneKeys.of(input, keys)) : rekey;
    }

    /**
     * ksqlDB re-keys a stream by PARTITION BY and copies the old key columns to the end of the
     * value, so {@code SELECT *} over it lists the source's value columns first and its KEY columns
     * last. The columns keep their positions in the row; only the order {@code *} lists them in changes.
     */
    private static Scope sourceKeysLast(Scope scope, Step source) {
        List<Integer> keys = source instanceof SourceStep s ? s.recordKeyColumns()
                : source instanceof TableSourceStep t ? t.keyColumns() : List.of();
        if (keys.isEmpty()) {
            return scope;
        }
        List<ScopeColumn> reordered = new ArrayList<>();
        scope.columns().stream().filter(c -> !keys.contains(c.index())).forEach(reordered::add);
        scope.columns().stream().filter(c -> keys.contains(c.index())).forEach(reordered::add);
        return new Scope(reordered, scope.rowtimeColumn(), scope.watermarkDelayMs(), scope.windowBounds());
    }

    /** A ksqlDB PARTITION BY over a join, whose {@code SELECT *} lists the sides' pseudo columns. */
    static boolean joinPartitionedInKsql(QueryBody.Select select, Dialect dialect) {
        return dialect == Dialect.KSQL && !select.partitionBy().isEmpty()
                && select.from().filter(f -> f instanceof Relation.Join).isPresent();
    }

    /**
     * What {@code SELECT *} lists after ksqlDB's PARTITION BY. A pseudo column the PARTITION BY names
     * ({@code PARTITION BY ID, ROWTIME}) becomes one of the re-keyed stream's key columns, so it is
     * listed (and the sink writes it to the record key, not the value). Over a join ({@code joined})
     * ksqlDB's re-key copies the join's whole row, whose sides' ROWTIME, ROWPARTITION and ROWOFFSET are
     * columns there, so {@code *} lists them all ({@code L_ROWTIME}, {@code R_ROWOFFSET}, ...).
     */
    private static Scope partitionKeysShown(Scope scope, List<Expression> partitionBy, boolean joined) {
        List<ScopeColumn> shown = new ArrayList<>();
        boolean changed = false;
        for (ScopeColumn c : scope.columns()) {
            boolean named = c.hidden() && partitionBy.stream().anyMatch(e -> e instanceof Expression.ColumnRef ref
                    && ref.last().equalsIgnoreCase(c.name())
                    && (ref.parts().size() == 1 || c.relation().filter(r -> r.equalsIgnoreCase(ref.parts().get(0).value())).isPresent()));
            boolean joinPseudo = joined && c.hidden() && c.relation().isPresent()
                    && ROW_PSEUDO_COLUMNS.contains(c.name().toUpperCase(Locale.ROOT));
            shown.add(named || joinPseudo ? new ScopeColumn(c.relation(), c.name(), c.type(), c.index(), false) : c);
            changed |= named || joinPseudo;
        }
        return changed ? new Scope(shown, scope.rowtimeColumn(), scope.watermarkDelayMs(), scope.windowBounds()) : scope;
    }

    /**
     * The columns ksqlDB's {@code SELECT *} lists after its PARTITION BY of {@code source}: the
     * source's value columns, then its key columns, with the pseudo columns the re-key made real.
     * Only for a ksqlDB script.
     */
    static Scope starColumns(Scope scope, Step source, QueryBody.Select select) {
        return partitionKeysShown(sourceKeysLast(scope, source), select.partitionBy(),
                joinPartitionedInKsql(select, Dialect.KSQL));
    }
}
