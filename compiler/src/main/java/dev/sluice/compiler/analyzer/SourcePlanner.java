package dev.sluice.compiler.analyzer;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.CheckConstraint;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.WindowedSource;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A declared stream or table read by a query: its source step with the pseudo columns the query
 * may read (ROWTIME, ksqlDB's ROWPARTITION/ROWOFFSET and windowed sources' bounds) appended as
 * hidden columns, then its column DEFAULTs and CHECK constraints applied to every record.
 */
final class SourcePlanner {
    private final Catalog catalog;
    private final FunctionCatalog functions;
    private final StepNames names;

    SourcePlanner(Catalog catalog, FunctionCatalog functions, StepNames names) {
        this.catalog = catalog;
        this.functions = functions;
        this.names = names;
    }

    /**
     * The relation reading {@code source} under {@code alias}, with ROWTIME appended when the query
     * needs it ({@code needsRowtime}, or always in ksqlDB), and ksqlDB's ROWPARTITION and ROWOFFSET
     * after it when the query reads them ({@code readsRowPosition}).
     */
    PlannedRelation plan(SourceDefinition source, String alias, boolean needsRowtime, boolean readsRowPosition) {
        // A declared column called ROWTIME is what the query means; the pseudo column would be ambiguous.
        // ksqlDB: every source has ROWTIME (a BIGINT), and windows use it when no TIMESTAMP column is named.
        boolean ksql = catalog.dialect() == Dialect.KSQL;
        // a table gets them when the query reads ROWPARTITION or ROWOFFSET, which come after ROWTIME
        boolean appendRowtime = (needsRowtime || (ksql && (source.kind() == SourceDefinition.Kind.STREAM
                || readsRowPosition)))
                && source.rowtimeColumn().isEmpty()
                && source.schema().indexOf("ROWTIME").isEmpty();
        Schema schema = appendRowtime ? source.schema().append(new Column("ROWTIME",
                ksql ? ScalarType.BIGINT : ScalarType.TIMESTAMP)) : source.schema();
        if (appendRowtime && ksql && readsRowPosition) {
            // ksqlDB's ROWPARTITION and ROWOFFSET: where the record was read from, after ROWTIME
            schema = schema.append(new Column("ROWPARTITION", ScalarType.INTEGER))
                    .append(new Column("ROWOFFSET", ScalarType.BIGINT));
        }
        int pseudoStart = source.schema().size();
        // ksqlDB's windowed stream source: WINDOWSTART and WINDOWEND (BIGINT) come from its keys, last
        int boundsStart = schema.size();
        boolean windowed = source.kind() == SourceDefinition.Kind.STREAM
                && WindowedSource.of(source.format()).isPresent();
        if (windowed) {
            schema = schema.append(new Column(WindowedSource.START, ScalarType.BIGINT))
                    .append(new Column(WindowedSource.END, ScalarType.BIGINT));
        }
        Step step;
        Schema keySchema = new Schema(List.of());
        if (source.kind() == SourceDefinition.Kind.TABLE) {
            List<Integer> keyColumns = source.primaryKey().stream()
                    .map(k -> source.schema().indexOf(k).orElseThrow()).toList();
            keySchema = new Schema(keyColumns.stream().map(i -> source.schema().column(i)).toList());
            step = new TableSourceStep(source.name(), source.format(), keySchema, schema, keyColumns,
                    source.rowtimeColumn(), source.global(), source.recordKeyIndexes(), appendRowtime);
        } else {
            step = new SourceStep(source.name(), source.format(), keySchema, schema, source.computedColumns(),
                    source.rowtimeColumn(), appendRowtime, source.recordKeyIndexes());
        }
        List<ScopeColumn> cols = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.column(i);
            cols.add(new ScopeColumn(Optional.of(alias), c.name(), c.type(), i,
                    appendRowtime && i >= pseudoStart || windowed && i >= boundsStart));
        }
        OptionalInt rowtime = source.rowtimeColumn().isPresent() ? source.rowtimeColumn()
                : appendRowtime ? OptionalInt.of(pseudoStart) : OptionalInt.empty();
        Scope scope = new Scope(cols, rowtime, source.watermarkDelayMs());
        Map<String, Expression> defaults = catalog.defaults(source.name());
        if (!defaults.isEmpty()) {
            step = defaulted(step, scope, defaults, alias);
        }
        List<CheckConstraint> checks = catalog.checks(source.name());
        if (!checks.isEmpty()) {
            step = checked(step, scope, checks, alias);
        }
        return new PlannedRelation(step, scope);
    }

    /** Column DEFAULTs: COALESCE(column, default) for each column that has one, the others as read. */
    private Step defaulted(Step input, Scope scope, Map<String, Expression> defaults, String alias) {
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "DEFAULT");
        Schema schema = input.schema();
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.column(i);
            Expr ref = new Expr.InputRef(i, c.type());
            Expression value = defaults.get(c.name().toLowerCase(Locale.ROOT));
            if (value == null) {
                exprs.add(ref);
                continue;
            }
            Expr fallback = analyzer.cast(analyzer.analyze(value), c.type(), false, value.location());
            exprs.add(new Expr.Call("COALESCE", List.of(ref, fallback), c.type()));
        }
        return new ProjectStep(names.name(StepNames.sanitize(alias) + "-default"), input, exprs, schema);
    }

    /**
     * A source's CHECK constraints, over every record it gives this query: a filter that passes
     * every record whose constraints hold (or are UNKNOWN) and fails a violating one, which is then
     * dead-lettered with the constraint's name while the pipeline goes on. A filter, not a
     * projection, so that no optimizer rule can prune it away.
     */
    private Step checked(Step input, Scope scope, List<CheckConstraint> checks, String alias) {
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "CHECK");
        List<Expr> all = new ArrayList<>();
        for (CheckConstraint c : checks) {
            all.add(analyzer.call("SLUICE_CHECK", List.of(new Expr.Literal(c.name(), ScalarType.VARCHAR),
                    analyzer.condition(c.condition()), new Expr.Literal(c.text(), ScalarType.VARCHAR)),
                    c.condition().location()));
        }
        Expr predicate = all.size() == 1 ? all.get(0) : new Expr.Call("AND", all, ScalarType.BOOLEAN);
        return new FilterStep(names.name(StepNames.sanitize(alias) + "-check"), input, predicate);
    }
}
