package dev.sluice.compiler.analyzer;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.UnionStep;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plans one query (with its CTEs and sub-queries) into a tree of runtime {@link Step}s. Clauses are
 * planned in SQL's logical order: FROM, WHERE, GROUP BY (+ window), aggregates, HAVING, SELECT.
 */
public final class QueryPlanner {
    private final Catalog catalog;
    private final FunctionCatalog functions;
    private final StepNames names;
    private final Map<String, PlannedRelation> ctes;

    public QueryPlanner(Catalog catalog, FunctionCatalog functions, String queryId) {
        this(catalog, functions, new StepNames(queryId), new HashMap<>());
    }

    private QueryPlanner(Catalog catalog, FunctionCatalog functions, StepNames names, Map<String, PlannedRelation> ctes) {
        this.catalog = catalog;
        this.functions = functions;
        this.names = names;
        this.ctes = ctes;
    }

    public PlannedRelation plan(Query query) {
        QueryPlanner scoped = this;
        if (!query.with().isEmpty()) {
            scoped = new QueryPlanner(catalog, functions, names, new HashMap<>(ctes));
            for (Query.WithQuery cte : query.with()) {
                QueryPlanner inner = new QueryPlanner(catalog, functions, names.nested(cte.name().value()), scoped.ctes);
                PlannedRelation planned = inner.plan(cte.query());
                scoped.ctes.put(cte.name().value().toLowerCase(Locale.ROOT),
                        new PlannedRelation(planned.step(), planned.scope().withRelation(cte.name().value())));
            }
        }
        return scoped.planBody(query.body(), query.emit());
    }

    private PlannedRelation planBody(QueryBody body, Optional<Emit> emit) {
        if (body instanceof QueryBody.Select select) {
            return planSelect(select, emit);
        }
        if (body instanceof QueryBody.Nested nested) {
            return plan(nested.query());
        }
        QueryBody.SetOperation set = (QueryBody.SetOperation) body;
        if (!set.operator().equalsIgnoreCase("UNION") || !set.all()) {
            throw new SqlException(set.location(), "not supported yet: " + set.operator() + (set.all() ? " ALL" : "")
                    + " (streams support UNION ALL)");
        }
        List<PlannedRelation> inputs = new ArrayList<>();
        flattenUnion(set, emit, inputs);
        Schema first = inputs.get(0).step().schema();
        for (int i = 1; i < inputs.size(); i++) {
            UnionCheck.compatible(first, inputs.get(i).step().schema(), set.location(), i + 1);
        }
        List<Step> steps = inputs.stream().map(PlannedRelation::step).toList();
        UnionStep union = new UnionStep(names.name("union"), steps, first);
        return new PlannedRelation(union, Scope.of(null, first, OptionalInt.empty(),
                inputs.get(0).scope().watermarkDelayMs()));
    }

    private void flattenUnion(QueryBody body, Optional<Emit> emit, List<PlannedRelation> out) {
        if (body instanceof QueryBody.SetOperation s && s.operator().equalsIgnoreCase("UNION") && s.all()) {
            flattenUnion(s.left(), emit, out);
            flattenUnion(s.right(), emit, out);
        } else {
            out.add(planBody(body, emit));
        }
    }

    private PlannedRelation planSelect(QueryBody.Select select, Optional<Emit> emit) {
        if (select.from().isEmpty()) {
            throw new SqlException(select.location(), "a streaming query needs FROM",
                    "SELECT without FROM has no input to react to");
        }
        if (!select.distinctOn().isEmpty() || select.distinct()) {
            throw new SqlException(select.location(), "not supported yet: SELECT DISTINCT" + (select.distinctOn().isEmpty() ? "" : " ON"));
        }
        if (select.qualify().isPresent()) {
            throw new SqlException(select.qualify().get().location(), "not supported yet: QUALIFY");
        }
        boolean mentionsRowtime = AstWalker.anyMatch(select, n -> n instanceof Expression.ColumnRef c
                && c.last().equalsIgnoreCase("ROWTIME"));
        PlannedRelation from = relation(select.from().get(), mentionsRowtime);
        Step step = from.step();
        if (select.where().isPresent()) {
            Expr predicate = new ExpressionAnalyzer(from.scope(), functions, "WHERE").condition(select.where().get());
            step = new FilterStep(names.name("where"), step, predicate);
        }
        PlannedRelation filtered = new PlannedRelation(step, from.scope(), from.windowTvf());
        boolean aggregates = !select.groupBy().isEmpty() || select.window().isPresent()
                || AstWalker.anyMatch(select.items(), n -> isAggregateCall(n))
                || select.having().isPresent();
        if (aggregates) {
            return new AggregationPlanner(functions, names, filtered, select, emit).plan();
        }
        if (from.windowTvf().isPresent()) {
            throw new SqlException(select.from().get().location(),
                    "not supported yet: a window table function without GROUP BY window_start, window_end");
        }
        return project(filtered, select);
    }

    boolean isAggregateCall(Object node) {
        return node instanceof Expression.FunctionCall f && f.over().isEmpty()
                && functions.aggregate(f.simpleName()).isPresent();
    }

    private PlannedRelation project(PlannedRelation input, QueryBody.Select select) {
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(input.scope(), functions, "SELECT");
        Projection projection = Projection.of(select.items(), input.scope(), analyzer);
        Step step = new ProjectStep(names.name("select"), input.step(), projection.expressions(), projection.schema());
        return new PlannedRelation(step, projection.scope(input.scope()));
    }

    PlannedRelation relation(Relation relation, boolean needsRowtime) {
        if (relation instanceof Relation.Table t) {
            String name = t.name().toString();
            String alias = t.alias().map(a -> a.value()).orElse(t.name().simpleName());
            PlannedRelation cte = ctes.get(t.name().simpleName().toLowerCase(Locale.ROOT));
            if (cte != null && t.name().parts().size() == 1) {
                return new PlannedRelation(cte.step(), cte.scope().withRelation(alias), cte.windowTvf());
            }
            SourceDefinition source = catalog.lookup(name).orElseThrow(() -> new SqlException(t.location(),
                    "unknown stream or table `" + name + "`",
                    Suggestions.hint(t.name().simpleName(), catalog.all().stream().map(SourceDefinition::name).toList())));
            return source(source, alias, needsRowtime);
        }
        if (relation instanceof Relation.UriSource u) {
            SourceDefinition source = catalog.all().stream()
                    .filter(s -> u.uri().endsWith("/" + s.format().topic()))
                    .findFirst().orElseThrow(() -> new SqlException(u.location(),
                            "not supported yet: reading '" + u.uri() + "' without a declared schema",
                            "declare it with CREATE STREAM name (columns...) WITH ('topic' = '...') and read the name"));
            return source(source, u.alias().map(a -> a.value()).orElse(source.name()), needsRowtime);
        }
        if (relation instanceof Relation.Subquery s) {
            String alias = s.alias().map(a -> a.value()).orElse("subquery");
            QueryPlanner inner = new QueryPlanner(catalog, functions, names.nested(alias), ctes);
            PlannedRelation planned = inner.plan(s.query());
            return new PlannedRelation(planned.step(), planned.scope().withRelation(alias), planned.windowTvf());
        }
        if (relation instanceof Relation.WindowTableFunction w) {
            return WindowTvfPlanner.plan(w, relation(w.input(), needsRowtime));
        }
        Relation.Join j = (Relation.Join) relation;
        return new JoinPlanner(this, functions, names).plan(j, needsRowtime);
    }

    private PlannedRelation source(SourceDefinition source, String alias, boolean needsRowtime) {
        // A declared column called ROWTIME is what the query means; the pseudo column would be ambiguous.
        boolean appendRowtime = needsRowtime && source.rowtimeColumn().isEmpty()
                && source.schema().indexOf("ROWTIME").isEmpty();
        Schema schema = appendRowtime ? source.schema().append(new Column("ROWTIME", ScalarType.TIMESTAMP))
                : source.schema();
        Step step;
        Schema keySchema = new Schema(List.of());
        if (source.kind() == SourceDefinition.Kind.TABLE) {
            List<Integer> keyColumns = source.primaryKey().stream()
                    .map(k -> source.schema().indexOf(k).orElseThrow()).toList();
            keySchema = new Schema(keyColumns.stream().map(i -> source.schema().column(i)).toList());
            step = new TableSourceStep(source.name(), source.format(), keySchema, schema, keyColumns,
                    source.rowtimeColumn(), source.global());
        } else {
            step = new SourceStep(source.name(), source.format(), keySchema, schema, source.rowtimeColumn(), appendRowtime);
        }
        List<ScopeColumn> cols = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.column(i);
            cols.add(new ScopeColumn(Optional.of(alias), c.name(), c.type(), i, appendRowtime && i == schema.size() - 1));
        }
        OptionalInt rowtime = source.rowtimeColumn().isPresent() ? source.rowtimeColumn()
                : appendRowtime ? OptionalInt.of(schema.size() - 1) : OptionalInt.empty();
        return new PlannedRelation(step, new Scope(cols, rowtime, source.watermarkDelayMs()));
    }
}
