package dev.sluice.compiler.analyzer;

import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.Dialect;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.UnionStep;
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
    /** Rank limits an enclosing query's WHERE puts on this sub-query's columns ({@code rn <= 5}). */
    private final Map<String, Long> outerRankLimits;
    /** Views declared so far (lower-case simple name): named queries, inlined where they are read. */
    private final Map<String, Query> views;
    /** A SELECT reads ksqlDB's ROWPARTITION or ROWOFFSET: stream sources then append them after ROWTIME. */
    private boolean readsRowPosition;

    public QueryPlanner(Catalog catalog, FunctionCatalog functions, String queryId) {
        this(catalog, functions, queryId, Map.of());
    }

    public QueryPlanner(Catalog catalog, FunctionCatalog functions, String queryId, Map<String, Query> views) {
        this(catalog, functions, new StepNames(queryId), new HashMap<>(), Map.of(), views);
    }

    private QueryPlanner(Catalog catalog, FunctionCatalog functions, StepNames names, Map<String, PlannedRelation> ctes,
                         Map<String, Long> outerRankLimits, Map<String, Query> views) {
        this.catalog = catalog;
        this.functions = functions;
        this.names = names;
        this.ctes = ctes;
        this.outerRankLimits = outerRankLimits;
        this.views = views;
    }

    /**
     * A persistent query (CREATE ... AS, INSERT INTO): its ORDER BY ... LIMIT n is a continuously
     * maintained top-n (a table with retractions), LIMIT n alone keeps the first n rows (Flink's
     * streaming LIMIT); ORDER BY alone cannot be honoured on a stream.
     */
    public PlannedRelation planPersistent(Query query) {
        PlannedRelation planned = Deduplication.byKeyOption(plan(query), query, functions, names);
        boolean distinctOn = query.body() instanceof QueryBody.Select s && !s.distinctOn().isEmpty();
        if (distinctOn || (query.orderBy().isEmpty() && query.limit().isEmpty())) {
            return planned;
        }
        if (query.limit().isEmpty()) {
            throw new SqlException(query.orderBy().get(0).location(), "ORDER BY without LIMIT in a persistent query: "
                    + "a stream never ends, so its rows can never be emitted in sorted order",
                    "add LIMIT n to maintain the top n rows continuously, or sort when you read the results");
        }
        return TopN.orderByLimit(planned, query.orderBy(), query.limit().get(), names, query.location());
    }

    public PlannedRelation plan(Query query) {
        QueryPlanner scoped = this;
        if (!query.with().isEmpty()) {
            scoped = new QueryPlanner(catalog, functions, names, new HashMap<>(ctes), outerRankLimits, views);
            for (Query.WithQuery cte : query.with()) {
                QueryPlanner inner = new QueryPlanner(catalog, functions, names.nested(cte.name().value()), scoped.ctes,
                        Map.of(), views);
                PlannedRelation planned = inner.plan(cte.query());
                scoped.ctes.put(cte.name().value().toLowerCase(Locale.ROOT),
                        new PlannedRelation(planned.step(), planned.scope().withRelation(cte.name().value())));
            }
        }
        if (query.body() instanceof QueryBody.Select select && !select.distinctOn().isEmpty()) {
            return scoped.planSelect(select, query.emit(), query.orderBy());
        }
        return scoped.planBody(query.body(), query.emit());
    }

    private PlannedRelation planBody(QueryBody body, Optional<Emit> emit) {
        if (body instanceof QueryBody.Select select) {
            return planSelect(select, emit, List.of());
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

    /** How long a regular join keeps rows (SET 'table.exec.state.ttl'; 0: forever). */
    long stateTtlMs() {
        return catalog.stateTtlMs();
    }

    /**
     * {@code FROM a, b WHERE cond} is {@code FROM a JOIN b ON cond}: for an inner join, filtering the
     * joined rows and joining on the condition are the same, and only the latter can be streamed
     * (the equalities in it become the join key).
     */
    private static QueryBody.Select commaJoinAsInnerJoin(QueryBody.Select select) {
        if (!(select.from().get() instanceof Relation.Join j) || j.type() != Relation.JoinType.CROSS
                || j.condition().isPresent() || select.where().isEmpty() || j.left() instanceof Relation.Join) {
            return select;
        }
        Relation inner = new Relation.Join(Relation.JoinType.INNER, j.left(), j.right(), select.where(), j.within(),
                j.location());
        return new QueryBody.Select(select.distinct(), select.distinctOn(), select.items(), Optional.of(inner),
                select.window(), Optional.empty(), select.groupBy(), select.having(), select.qualify(), select.into(),
                select.options(), select.location());
    }

    private PlannedRelation planSelect(QueryBody.Select select, Optional<Emit> emit, List<SortItem> distinctOrder) {
        if (select.from().isEmpty()) {
            AstWalker.walk(select, n -> true, n -> {
                if (n instanceof Expression.FunctionCall f && f.name().simpleName().toLowerCase(Locale.ROOT).startsWith("pg_")) {
                    throw new SqlException(f.location(), f.name().simpleName() + " asks PostgreSQL about itself (sizes, "
                            + "catalogs, statistics): run it in the database (psql)",
                            "Sluice reads the table's rows, not the database's internals");
                }
            });
            throw new SqlException(select.location(), "a streaming query needs FROM",
                    "SELECT without FROM has no input to react to");
        }
        if (select.distinct() && select.distinctOn().isEmpty()) {
            throw new SqlException(select.location(), "not supported yet: SELECT DISTINCT",
                    "write GROUP BY over the selected columns, or DISTINCT ON (key) to deduplicate");
        }
        boolean mentionsRowtime = AstWalker.anyMatch(select, n -> n instanceof Expression.ColumnRef c
                && c.last().equalsIgnoreCase("ROWTIME"));
        readsRowPosition = readsRowPosition || AstWalker.anyMatch(select, n -> n instanceof Expression.ColumnRef c
                && (c.last().equalsIgnoreCase("ROWPARTITION") || c.last().equalsIgnoreCase("ROWOFFSET")))
                || PartitionByPlanner.joinPartitionedInKsql(select, catalog.dialect());
        Map<String, Long> whereLimits = select.where().map(TopN::rankLimits).orElse(Map.of());
        select = commaJoinAsInnerJoin(select);
        select = CorrelatedSubqueries.decorrelate(select);
        PlannedRelation from = relation(select.from().get(), mentionsRowtime, whereLimits);
        boolean aggregates = !select.groupBy().isEmpty() || select.window().isPresent()
                || AstWalker.anyMatch(select.items(), n -> isAggregateCall(n))
                || select.having().isPresent();
        if (from.windowTvf().isPresent() && !aggregates) {
            WindowTvfRows.refuseWindowRanking(select);
            from = WindowTvfPlanner.materialize(from, select.from().get(), names);
        } else if (aggregates && from.windowTvf().isEmpty()) {
            WindowTvfRows.refuseGroupingByMaterializedWindows(select, from.step());
        } else if (from.windowTvf().isPresent() && select.where().isPresent()) {
            WindowTvfRows.refuseBoundsInsideExpressions(select.where().get(), "WHERE");
        }
        Step step = from.step();
        if (select.where().isPresent()) {
            Expr predicate = new ExpressionAnalyzer(from.scope(), functions, "WHERE").condition(select.where().get());
            String name = names.name("where"); // taken either way: later steps' names stay as they were
            Optional<Expr> remaining = AlwaysTrueConditions.remaining(predicate, step);
            if (remaining.isPresent()) {
                step = new FilterStep(name, step, remaining.get());
            }
        }
        Scope selectScope = from.scope();
        if (!select.partitionBy().isEmpty()) {
            step = PartitionByPlanner.partitionBy(select, step, from.scope(), functions, names, catalog.dialect());
            if (catalog.dialect() == Dialect.KSQL) {
                selectScope = PartitionByPlanner.starColumns(from.scope(), from.step(), select);
            }
        }
        // ksqlDB's join key decides a sink's key only when the SELECT projects the joined rows themselves
        PlannedRelation filtered = new PlannedRelation(step, selectScope, from.windowTvf(),
                select.partitionBy().isEmpty() ? from.joinKey() : Optional.empty());
        Map<String, Long> rankLimits = new HashMap<>(outerRankLimits);
        select.qualify().ifPresent(q -> rankLimits.putAll(TopN.rankLimits(q)));
        PlannedRelation result;
        if (!select.distinctOn().isEmpty()) {
            if (aggregates) {
                throw new SqlException(select.location(), "DISTINCT ON cannot be combined with GROUP BY or aggregates");
            }
            filtered = Deduplication.distinctOn(filtered, select, distinctOrder, functions, names);
        }
        if (aggregates && TableFunctionPlanner.anyIn(select.items(), functions)) {
            throw TableFunctionPlanner.withAggregates(select.items(), functions);
        }
        if (aggregates) {
            result = new AggregationPlanner(functions, names, filtered, select, emit, rankLimits, catalog.dialect(),
                    naming(select)).collectionLimits(catalog.collectionLimits()).plan();
        } else {
            result = project(filtered, select, rankLimits);
        }
        return qualify(result, select);
    }

    /** QUALIFY filters the SELECT's output rows; it names output columns (window function aliases). */
    private PlannedRelation qualify(PlannedRelation result, QueryBody.Select select) {
        if (select.qualify().isEmpty()) {
            return result;
        }
        Expression q = select.qualify().get();
        if (AstWalker.anyMatch(q, WindowFunctionPlanner::isWindowCall)) {
            throw new SqlException(q.location(), "QUALIFY must name the window function by its SELECT alias",
                    "select it, e.g. ROW_NUMBER() OVER (...) AS rn, and write QUALIFY rn = 1");
        }
        Expr predicate = new ExpressionAnalyzer(result.scope(), functions, "QUALIFY").condition(q);
        String name = names.name("qualify");
        Optional<Expr> remaining = AlwaysTrueConditions.remaining(predicate, result.step());
        return remaining.isEmpty() ? result
                : new PlannedRelation(new FilterStep(name, result.step(), remaining.get()), result.scope());
    }

    Dialect dialect() {
        return catalog.dialect();
    }

    Catalog catalog() {
        return catalog;
    }

    Projection.Naming naming(QueryBody.Select select) {
        return new Projection.Naming(catalog.dialect() == Dialect.KSQL,
                select.from().filter(f -> f instanceof Relation.Join).isPresent());
    }

    boolean isAggregateCall(Object node) {
        return node instanceof Expression.FunctionCall f && f.over().isEmpty()
                && functions.aggregate(f.simpleName()).isPresent();
    }

    private PlannedRelation project(PlannedRelation input, QueryBody.Select select, Map<String, Long> rankLimits) {
        TableFunctionPlanner.Planned exploded = TableFunctionPlanner.plan(input.step(), input.scope(), select.items(),
                functions, names);
        WindowFunctionPlanner.Planned over = new WindowFunctionPlanner(functions, names,
                Deduplication.retention(select)).plan(exploded.step(), exploded.scope(), exploded.rewrite(),
                select.items(), rankLimits);
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(over.scope(), functions, over.rewrite(), "SELECT");
        Projection projection = Projection.of(select.items(), over.scope(), analyzer, naming(select));
        Optional<KsqlJoinKey.Choice> sinkKey = Optional.empty();
        List<Expr> expressions = projection.expressions();
        if (input.joinKey().isPresent() && over.step() == input.step() && input.windowTvf().isEmpty()) {
            KsqlJoinKey.Choice choice = input.joinKey().get().choose(expressions, projection.names());
            sinkKey = Optional.of(choice);
            if (choice.projected().isPresent() && !choice.synthetic()) {
                // ksqlDB's key column holds the record key: the join key, also where this column's
                // own side was padded with NULLs
                int at = choice.projected().getAsInt();
                Expr recordKey = input.joinKey().get().recordKey();
                if (recordKey.type().equals(expressions.get(at).type())) {
                    expressions = new ArrayList<>(expressions);
                    expressions.set(at, recordKey);
                }
            }
        }
        Step step = new ProjectStep(names.name("select"), over.step(), expressions, projection.schema());
        return new PlannedRelation(step, projection.scope(over.scope()), Optional.empty(), Optional.empty(), sinkKey);
    }

    PlannedRelation relation(Relation relation, boolean needsRowtime) {
        return relation(relation, needsRowtime, Map.of());
    }

    private PlannedRelation relation(Relation relation, boolean needsRowtime, Map<String, Long> rankLimits) {
        if (relation instanceof Relation.Table t) {
            String name = t.name().toString();
            String alias = t.alias().map(a -> a.value()).orElse(t.name().simpleName());
            PlannedRelation cte = ctes.get(t.name().simpleName().toLowerCase(Locale.ROOT));
            if (cte != null && t.name().parts().size() == 1) {
                return new PlannedRelation(cte.step(), cte.scope().withRelation(alias), cte.windowTvf());
            }
            Query view = views.get(t.name().simpleName().toLowerCase(Locale.ROOT));
            if (view != null && catalog.lookup(name).isEmpty()) {
                QueryPlanner inner = new QueryPlanner(catalog, functions, names.nested(alias), new HashMap<>(), rankLimits,
                        views);
                PlannedRelation planned = inner.plan(view);
                return new PlannedRelation(planned.step(), planned.scope().withRelation(alias), planned.windowTvf());
            }
            if (catalog.lookup(name).isEmpty() && DatabaseCatalogs.isCatalog(t.name().parts().stream()
                    .map(dev.sluice.grammar.ast.Identifier::value).toList())) {
                throw new SqlException(t.location(), "`" + name + "` is a view of the database's own catalog or "
                        + "statistics: run this query in the database (psql)",
                        "Sluice reads tables' rows through their change streams, not the database's internals");
            }
            if (catalog.lookup(name).isEmpty()) {
                dev.sluice.compiler.SystemTableQueries.continuousRead(name, t.location()).ifPresent(e -> {
                    throw e;
                });
            }
            SourceDefinition source = catalog.lookup(name).orElseThrow(() -> new SqlException(t.location(),
                    "unknown stream or table `" + name + "`",
                    Suggestions.hint(t.name().simpleName(), catalog.all().stream().map(SourceDefinition::name).toList())));
            return sourcePlanner().plan(source, alias, needsRowtime, readsRowPosition);
        }
        if (relation instanceof Relation.UriSource u) {
            SourceDefinition source = catalog.lookupUri(u.uri()).or(() -> catalog.all().stream()
                    .filter(s -> u.uri().endsWith("/" + s.format().topic()))
                    .findFirst()).orElseThrow(() -> new SqlException(u.location(),
                            "not supported yet: reading '" + u.uri() + "' without a declared schema",
                            "declare it with CREATE STREAM name (columns...) WITH ('topic' = '...') and read the name"));
            return sourcePlanner().plan(source, u.alias().map(a -> a.value()).orElse(source.name()), needsRowtime,
                    readsRowPosition);
        }
        if (relation instanceof Relation.Subquery s) {
            String alias = s.alias().map(a -> a.value()).orElse("subquery");
            QueryPlanner inner = new QueryPlanner(catalog, functions, names.nested(alias), ctes, rankLimits, views);
            PlannedRelation planned = inner.plan(s.query());
            return new PlannedRelation(planned.step(), planned.scope().withRelation(alias), planned.windowTvf());
        }
        if (relation instanceof Relation.WindowTableFunction w) {
            return WindowTvfPlanner.plan(w, relation(w.input(), needsRowtime));
        }
        if (relation instanceof Relation.TemporalTable t) {
            // A lookup join is planned by JoinPlanner (the table is the right side of the JOIN).
            throw new SqlException(t.location(), "FOR SYSTEM_TIME AS OF is only allowed on the table joined "
                    + "on the right of a JOIN (a lookup join)", "write FROM stream s JOIN " + t.name()
                    + " FOR SYSTEM_TIME AS OF s.time_column AS alias ON ...");
        }
        if (relation instanceof Relation.Join j) {
            return new JoinPlanner(this, functions, names).plan(j, needsRowtime);
        }
        throw new IllegalStateException("unplanned relation " + relation.getClass().getSimpleName());
    }

    private SourcePlanner sourcePlanner() {
        return new SourcePlanner(catalog, functions, names);
    }
}
