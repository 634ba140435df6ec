package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.grammar.ast.WindowClause;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.AggregateFunction;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.function.FunctionException;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.EmitMode;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * GROUP BY with aggregates, optionally windowed. The plan is: a "prepare" projection of exactly
 * what the aggregation reads (group keys, aggregate arguments, FILTER conditions, event time),
 * so only those bytes cross the repartition topic; a re-key by the group key; the aggregate; then
 * HAVING and the SELECT list over the aggregated row.
 */
final class AggregationPlanner {
    private final FunctionCatalog functions;
    private final StepNames names;
    private final PlannedRelation input;
    private final QueryBody.Select select;
    private final Optional<Emit> emit;
    private final Scope scope;

    private final List<Expression> keyAsts = new ArrayList<>();
    private final List<Expr> keyExprs = new ArrayList<>();
    private final List<String> keyNames = new ArrayList<>();
    private final List<FunctionCall> aggregateAsts = new ArrayList<>();
    private final List<AggregateCall> calls = new ArrayList<>();
    private final java.util.Map<String, Long> rankLimits;
    private WindowSpec window;
    /** GROUP BY the bounds of the input's windows: the positions of those two keys (cascaded window). */
    private Scope.WindowBounds cascadedKeys;

    private final boolean ksql;
    private final Projection.Naming naming;
    /** ksqlDB's COLLECT_LIST / COLLECT_SET element limits by function ({@code Catalog#collectionLimits}). */
    private java.util.Map<String, Long> collectionLimits = java.util.Map.of();

    /** The element limits ksqlDB's settings put on COLLECT_LIST / COLLECT_SET (ksqlDB dialect only). */
    AggregationPlanner collectionLimits(java.util.Map<String, Long> limits) {
        this.collectionLimits = limits;
        return this;
    }

    AggregationPlanner(FunctionCatalog functions, StepNames names, PlannedRelation input, QueryBody.Select select,
                       Optional<Emit> emit, java.util.Map<String, Long> rankLimits) {
        this(functions, names, input, select, emit, rankLimits, dev.sluice.compiler.catalog.Dialect.FLINK);
    }

    AggregationPlanner(FunctionCatalog functions, StepNames names, PlannedRelation input, QueryBody.Select select,
                       Optional<Emit> emit, java.util.Map<String, Long> rankLimits,
                       dev.sluice.compiler.catalog.Dialect dialect) {
        this(functions, names, input, select, emit, rankLimits, dialect, Projection.Naming.FLINK);
    }

    AggregationPlanner(FunctionCatalog functions, StepNames names, PlannedRelation input, QueryBody.Select select,
                       Optional<Emit> emit, java.util.Map<String, Long> rankLimits,
                       dev.sluice.compiler.catalog.Dialect dialect, Projection.Naming naming) {
        this.naming = naming;
        this.ksql = dialect == dev.sluice.compiler.catalog.Dialect.KSQL;
        this.rankLimits = rankLimits;
        this.functions = functions;
        this.names = names;
        this.input = input;
        this.select = select;
        this.emit = emit;
        this.scope = input.scope();
    }

    PlannedRelation plan() {
        groupKeys();
        select.window().ifPresent(this::ksqlWindow);
        collectAggregates();
        Step aggregated = aggregate();
        Scope post = postAggregationScope(aggregated.schema());
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(post, functions, this::rewrite, "SELECT");
        Step step = aggregated;
        if (select.having().isPresent()) {
            Expr having = new ExpressionAnalyzer(post, functions, this::rewrite, "HAVING").condition(select.having().get());
            step = new FilterStep(names.name("having"), step, having);
        }
        // Window functions over the aggregated rows: LAG(AVG(x)) OVER (PARTITION BY k ORDER BY window_start).
        WindowFunctionPlanner.Planned over = new WindowFunctionPlanner(functions, names, Deduplication.retention(select))
                .plan(step, post, this::rewrite, select.items(), rankLimits);
        step = over.step();
        post = over.scope();
        analyzer = new ExpressionAnalyzer(post, functions, over.rewrite(), "SELECT");
        Projection projection = Projection.of(select.items(), post, analyzer, naming);
        step = new ProjectStep(names.name("select"), step, projection.expressions(), projection.schema());
        // Windowed rows carry window_time (end - 1 ms) as their timestamp: selecting it keeps event time.
        Optional<Expr> windowTime = window == null ? Optional.empty()
                : Optional.of(windowBound("ROWTIME", keyExprs.size()));
        return new PlannedRelation(step, projection.scope(post, windowTime));
    }

    // ---- GROUP BY -----------------------------------------------------------------------------

    private void groupKeys() {
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "GROUP BY");
        for (Expression g : select.groupBy()) {
            if (g instanceof FunctionCall f && WindowFunctions.isGroupWindow(f.simpleName())) {
                if (window != null) {
                    throw new SqlException(g.location(), "only one window per GROUP BY");
                }
                window = GroupWindows.fromGroupWindow(f, scope, input.step(), graceExtra());
                continue;
            }
            if (g instanceof FunctionCall f && (f.simpleName().equalsIgnoreCase("ROLLUP")
                    || f.simpleName().equalsIgnoreCase("CUBE"))) {
                throw new SqlException(g.location(), "not supported yet: GROUP BY " + f.simpleName().toUpperCase(Locale.ROOT)
                        + " (several groupings in one query)", "write one query per grouping and combine them with "
                        + "UNION ALL, NULL in the columns a grouping leaves out");
            }
            if (input.windowTvf().isPresent() && isTvfBound(g)) {
                if (window == null) {
                    window = GroupWindows.fromTvf(input.windowTvf().get(), scope, graceExtra(), g.location());
                }
                continue;
            }
            if (input.windowTvf().isPresent()) {
                WindowTvfRows.refuseBoundsInsideExpressions(g, "GROUP BY");
            }
            Expression resolved = selectAliasFallback(g);
            Expr key = analyzer.analyze(resolved);
            keyAsts.add(g);
            if (resolved != g) {
                keyAsts.add(resolved);
            }
            keyExprs.add(key);
            keyNames.add(keyName(g, resolved));
        }
        if (input.windowTvf().isPresent() && window == null) {
            throw new SqlException(select.location(), "a window table function needs GROUP BY window_start, window_end");
        }
        cascadedWindow();
    }

    /**
     * GROUP BY both window bounds of an input made of a window's final rows (Flink's cascaded window
     * aggregate, as in Nexmark q5: the maximum of per-auction counts per HOP window) is per window
     * too: its rows are final when that window closes. All rows of one window carry its
     * window_time (end - 1 ms) as timestamp, so a 1 ms tumbling window at that instant, grouped by
     * the bounds as keys, holds exactly one input window; it closes after the watermark delay like
     * the input's, and the result is again a window's final rows (a stream), not an updating table.
     */
    private void cascadedWindow() {
        if (window != null || ksql || scope.windowBounds().isEmpty() || input.step().shape() != Step.Shape.STREAM) {
            return;
        }
        Scope.WindowBounds bounds = scope.windowBounds().get();
        int start = keyPosition(bounds.startColumn());
        int end = keyPosition(bounds.endColumn());
        if (start < 0 || end < 0) {
            return;
        }
        cascadedKeys = new Scope.WindowBounds(start, end);
        window = WindowSpec.tumble(1, scope.watermarkDelayMs().orElse(0) + graceExtra());
    }

    private int keyPosition(int inputColumn) {
        for (int i = 0; i < keyExprs.size(); i++) {
            if (keyExprs.get(i) instanceof Expr.InputRef ref && ref.index() == inputColumn) {
                return i;
            }
        }
        return -1;
    }

    private boolean isTvfBound(Expression g) {
        return g instanceof Expression.ColumnRef ref
                && (ref.last().equalsIgnoreCase("window_start") || ref.last().equalsIgnoreCase("window_end")
                || ref.last().equalsIgnoreCase("window_time"));
    }

    /** GROUP BY may name a SELECT alias (PostgreSQL allows it): use the aliased expression then. */
    private Expression selectAliasFallback(Expression g) {
        if (g instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                && scope.find(Optional.empty(), ref.parts().get(0)).isEmpty()) {
            for (var item : select.items()) {
                if (item instanceof dev.sluice.grammar.ast.SelectItem.SingleColumn s && s.alias().isPresent()
                        && s.alias().get().value().equalsIgnoreCase(ref.last())) {
                    return s.expression();
                }
            }
        }
        return g;
    }

    private String keyName(Expression g, Expression resolved) {
        if (g instanceof Expression.ColumnRef ref) {
            return ref.last();
        }
        for (var item : select.items()) {
            if (item instanceof dev.sluice.grammar.ast.SelectItem.SingleColumn s && s.alias().isPresent()
                    && (s.expression().equals(g) || s.expression().equals(resolved))) {
                return s.alias().get().value();
            }
        }
        return "KEY$" + keyNames.size();
    }

    private void ksqlWindow(WindowClause clause) {
        if (window != null) {
            throw new SqlException(clause.location(), "a query has either a WINDOW clause or a GROUP BY window, not both");
        }
        window = GroupWindows.fromKsql(clause, scope, graceExtra());
        if (ksql) {
            // ksqlDB: no GRACE PERIOD means 24 h of grace, but none under EMIT FINAL (its analysis
            // rewrites the window with a zero grace), so that a final row comes at the window's end
            long defaultGrace = emitMode() == EmitMode.FINAL ? 0 : WindowSpec.KSQL_DEFAULT_GRACE_MS;
            window = clause.grace().isPresent() ? window.asKsql()
                    : new WindowSpec(window.kind(), window.sizeMs(), window.advanceMs(),
                            defaultGrace + graceExtra(), true);
        }
    }

    private long graceExtra() {
        return emit.filter(e -> e.kind() == Emit.Kind.AFTER_WATERMARK).flatMap(Emit::delay)
                .map(d -> d instanceof Expression.IntervalLiteral i ? Intervals.millis(i) : 0L).orElse(0L);
    }

    // ---- aggregates ---------------------------------------------------------------------------

    private void collectAggregates() {
        List<Object> places = new ArrayList<>(select.items());
        select.having().ifPresent(places::add);
        AstWalker.walk(places, n -> !isAggregate(n), n -> {
            if (isAggregate(n) && !aggregateAsts.contains(n)) {
                aggregateAsts.add((FunctionCall) n);
            }
        });
        ExpressionAnalyzer argAnalyzer = new ExpressionAnalyzer(scope, functions, "an aggregate argument");
        for (FunctionCall f : aggregateAsts) {
            calls.add(aggregateCall(f, argAnalyzer));
        }
    }

    private boolean isAggregate(Object n) {
        return n instanceof FunctionCall f && f.over().isEmpty() && functions.aggregate(f.simpleName()).isPresent();
    }

    private AggregateCall aggregateCall(FunctionCall f, ExpressionAnalyzer analyzer) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        AggregateFunction fn = functions.aggregate(name).orElseThrow();
        for (Expression a : f.arguments()) {
            if (AstWalker.anyMatch(a, this::isAggregate)) {
                throw ksql ? new SqlException(a.location(), "Aggregate functions can not be nested: "
                        + KsqlText.expression(f), "aggregate functions cannot be nested inside " + name)
                        : new SqlException(a.location(), "aggregate functions cannot be nested inside " + name);
            }
        }
        List<Expr> args = new ArrayList<>();
        if (!f.withinGroup().isEmpty()) {
            // PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x): the accumulator reads x, then p.
            for (SortItem s : f.withinGroup()) {
                args.add(analyzer.analyze(s.key()));
            }
        }
        for (Expression a : f.arguments()) {
            args.add(analyzer.analyze(a));
        }
        SqlType type;
        try {
            type = fn.returnType(args);
        } catch (FunctionException e) {
            if (ksql && !(fn instanceof dev.sluice.runtime.function.udf.JavaAggregateUdf)) {
                // a built-in's arguments after its column are initial arguments in ksqlDB; a user
                // aggregate says itself which are (userAggregateError gives ksqlDB's words for it)
                KsqlAggregateWords.literalParameters(name, f);
            }
            throw userAggregateError(f, fn, args, e);
        }
        List<Boolean> descending = new ArrayList<>();
        List<Expr> all = new ArrayList<>(args);
        for (SortItem s : f.orderBy()) {
            all.add(analyzer.analyze(s.key()));
            descending.add(s.descending());
        }
        Optional<Expr> filter = f.filter().map(x -> new ExpressionAnalyzer(scope, functions, "FILTER").condition(x));
        String collection = fn.name().equals("ARRAY_AGG") ? "COLLECT_LIST" : fn.name();
        Long limit = collectionLimits.get(collection);
        if (ksql && limit != null && descending.isEmpty() && !f.distinct() && args.size() == 1) {
            // SET 'ksql.functions.collect_list.limit' (or collect_set): at most that many elements, kept so
            return new AggregateCall(collection + "_BOUNDED", List.of(args.get(0), new Expr.Literal(limit, ScalarType.BIGINT)),
                    false, filter, List.of(), type);
        }
        // over a changelog Flink's ARRAY_AGG takes out the first equal element, ksqlDB's COLLECT_LIST the latest
        return new AggregateCall(fn.name(), all, f.distinct(), filter, descending, type,
                !ksql && fn.name().equals("ARRAY_AGG"));
    }

    /**
     * A call that no overload takes: for a user aggregate in ksqlDB's dialect, ksqlDB's words
     * ({@code UdafAggregateFunctionFactory}, {@code UdafUtil}), naming the function as declared.
     */
    private SqlException userAggregateError(FunctionCall f, AggregateFunction fn, List<Expr> args, FunctionException e) {
        if (e instanceof dev.sluice.runtime.function.udf.InitialArgumentNotConstantException notConstant) {
            int index = notConstant.argument() - f.withinGroup().size();
            Expression argument = f.arguments().get(index);
            return ksql ? new SqlException(argument.location(), "Parameter " + (index + 1) + " passed to function "
                    + fn.name() + " must be a literal constant, but was expression: '" + KsqlText.expression(argument)
                    + "'", e.getMessage()) : new SqlException(argument.location(), e.getMessage());
        }
        if (ksql && fn instanceof dev.sluice.runtime.function.udf.JavaAggregateUdf udf) {
            String types = args.stream().map(a -> KsqlText.type(a.type())).collect(java.util.stream.Collectors.joining(", "));
            return new SqlException(f.location(), "Function '" + udf.declaredName() + "' does not accept parameters ("
                    + types + ").", e.getMessage());
        }
        return new SqlException(f.location(), e.getMessage());
    }

    // ---- steps ---------------------------------------------------------------------------------

    private Step aggregate() {
        List<Expr> prepared = new ArrayList<>(keyExprs);
        List<Column> preparedColumns = new ArrayList<>();
        for (int i = 0; i < keyExprs.size(); i++) {
            preparedColumns.add(new Column(keyNames.get(i), keyExprs.get(i).type()));
        }
        PreparedColumns shared = new PreparedColumns(prepared, preparedColumns, functions);
        List<AggregateCall> remapped = new ArrayList<>();
        for (AggregateCall call : calls) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : call.arguments()) {
                args.add(Expr.isConstant(a) ? a : shared.column("ARG$", a));
            }
            Optional<Expr> filter = call.filter().map(f -> shared.column("FILTER$", f));
            remapped.add(new AggregateCall(call.function(), args, call.distinct(), filter, call.sortDescending(),
                    call.type(), call.retractFirstEqual()));
        }
        OptionalInt rowtime = OptionalInt.empty();
        if (scope.rowtimeColumn().isPresent()) {
            int index = scope.rowtimeColumn().getAsInt();
            rowtime = OptionalInt.of(prepared.size());
            preparedColumns.add(new Column("ROWTIME", scope.columns().get(index).type()));
            prepared.add(new Expr.InputRef(index, scope.columns().get(index).type()));
        }
        Schema preparedSchema = new Schema(preparedColumns);
        Step prepare = new ProjectStep(names.name("prepare"), input.step(), prepared, preparedSchema);
        List<Expr> keyRefs = new ArrayList<>();
        for (int i = 0; i < keyExprs.size(); i++) {
            keyRefs.add(new Expr.InputRef(i, keyExprs.get(i).type()));
        }
        Schema groupKeySchema = new Schema(preparedColumns.subList(0, keyExprs.size()));
        boolean changelog = input.step().shape() == Step.Shape.TABLE;
        if (changelog) {
            checkRetractable();
        }
        Step grouped = ksql && !keyRefs.isEmpty() ? nullKeysExcluded(prepare, keyRefs, changelog) : prepare;
        // A table is re-grouped by KTable#groupBy, which carries each row's old value to retract.
        Step rekeyed = changelog ? grouped : new RekeyStep(names.name("groupby"), grouped, keyRefs, groupKeySchema);

        List<Column> keyColumns = new ArrayList<>(groupKeySchema.columns());
        List<Column> valueColumns = new ArrayList<>(groupKeySchema.columns());
        if (window != null) {
            keyColumns.add(new Column("window_start", boundType()));
            valueColumns.add(new Column("window_start", boundType()));
            valueColumns.add(new Column("window_end", boundType()));
        }
        for (int i = 0; i < calls.size(); i++) {
            valueColumns.add(new Column("AGG$" + i, calls.get(i).type()));
        }
        if (window != null && window.processingTime() && emitMode() != EmitMode.FINAL) {
            throw new SqlException(select.location(), "a window over processing time emits its final rows when the "
                    + "wall clock passes its end: EMIT CHANGES is not supported for it", "drop EMIT CHANGES");
        }
        // ksqlDB emits every change of a window unless told EMIT FINAL; Flink emits final rows.
        return new AggregateStep(names.name("aggregate"), rekeyed, keyRefs, Optional.ofNullable(window), remapped,
                rowtime, new Schema(keyColumns), new Schema(valueColumns), emitMode(),
                // ksqlDB emits a row for every input row; Flink drops an update that changes nothing
                ksql ? AggregateStep.UnchangedUpdates.EMIT : AggregateStep.UnchangedUpdates.DROP);
    }

    /**
     * ksqlDB excludes a row from the table when any of its GROUP BY expressions is NULL (its
     * GroupByParamsFactory); Flink keeps NULL as a group. A stream's row fails through
     * SLUICE_GROUP_KEY and is counted and dead-lettered as a null_key drop; a table's row is
     * filtered out, which retracts it from the group it was in.
     */
    private Step nullKeysExcluded(Step prepare, List<Expr> keyRefs, boolean changelog) {
        List<Expr> notNull = keyRefs.stream()
                .map(k -> (Expr) new Expr.Call("IS NOT NULL", List.of(k), ScalarType.BOOLEAN)).toList();
        Expr condition = notNull.size() == 1 ? notNull.get(0) : new Expr.Call("AND", notNull, ScalarType.BOOLEAN);
        if (!changelog) {
            condition = new Expr.Call("SLUICE_GROUP_KEY", List.of(condition), ScalarType.BOOLEAN);
        }
        return new FilterStep(names.name("group-key-not-null"), prepare, condition);
    }

    private EmitMode emitMode() {
        return emit.map(e -> e.kind() == Emit.Kind.CHANGES ? EmitMode.CHANGES : EmitMode.FINAL)
                .orElse(ksql ? EmitMode.CHANGES : EmitMode.FINAL);
    }

    /** Over a table, a row that changes must be taken back out of its group's aggregates. */
    private void checkRetractable() {
        if (window != null) {
            throw new SqlException(select.location(), "a window over a table (an updating input) is not supported: "
                    + "its rows change, and a window that has closed cannot take a row back (Flink refuses a "
                    + "group window over updates too)",
                    "window the stream the table is computed from, or drop the window and GROUP BY the table");
        }
        if (ksql) {
            // ksqlDB's built-in table aggregates; a user aggregate is one when it can retract (checked below)
            KsqlAggregateWords.tableAggregates(aggregateAsts.stream().map(FunctionCall::simpleName)
                    .filter(n -> !(functions.aggregate(n).orElse(null) instanceof dev.sluice.runtime.function.udf.JavaAggregateUdf))
                    .toList(), select.location());
        }
        for (int i = 0; i < calls.size(); i++) {
            AggregateCall call = calls.get(i);
            AggregateFunction fn = functions.aggregate(call.function()).orElseThrow();
            var factory = dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry.implementForChangelog(fn,
                    call.arguments(), call.type(), call.sortDescending());
            if (!factory.create().canRetract()) {
                throw new SqlException(aggregateAsts.get(i).location(), call.function() + " cannot be computed over a "
                        + "table: its rows change, and " + call.function() + " cannot take a value back out",
                        "aggregate the stream instead, or use a function that can (COUNT, SUM, AVG, MIN, MAX, ...)");
            }
        }
    }

    private Scope postAggregationScope(Schema aggregated) {
        List<ScopeColumn> cols = new ArrayList<>();
        for (int i = 0; i < aggregated.size(); i++) {
            Column c = aggregated.column(i);
            boolean hidden = c.name().startsWith("AGG$");
            cols.add(new ScopeColumn(Optional.empty(), c.name(), c.type(), i, hidden));
        }
        // A window's final rows (EMIT FINAL) keep their bounds, so that a GROUP BY or a join on them
        // downstream is per window as well.
        Optional<Scope.WindowBounds> bounds = Optional.empty();
        if (window != null && !ksql && emitMode() == EmitMode.FINAL) {
            int windowStart = keyExprs.size();
            bounds = Optional.of(cascadedKeys != null ? cascadedKeys
                    : new Scope.WindowBounds(windowStart, windowStart + 1));
        }
        return new Scope(cols, OptionalInt.empty(), scope.watermarkDelayMs(), bounds);
    }

    /** After grouping, whole sub-expressions are replaced by columns of the aggregated row. */
    private Optional<Expr> rewrite(Expression e) {
        int windowStart = keyExprs.size();
        int firstAggregate = keyExprs.size() + (window != null ? 2 : 0);
        for (int i = 0; i < keyAsts.size(); i++) {
            if (keyAsts.get(i).equals(e)) {
                int k = keyIndexOfAst(i);
                return Optional.of(new Expr.InputRef(k, keyExprs.get(k).type()));
            }
        }
        int a = aggregateAsts.indexOf(e);
        if (a >= 0) {
            return Optional.of(new Expr.InputRef(firstAggregate + a, calls.get(a).type()));
        }
        if (e instanceof FunctionCall f && WindowFunctions.isWindowBound(f.simpleName())) {
            if (window == null) {
                throw new SqlException(f.location(), f.simpleName() + " needs GROUP BY "
                        + WindowFunctions.windowOf(f.simpleName()) + "(...)");
            }
            return Optional.of(windowBound(WindowFunctions.boundOf(f.simpleName()), windowStart));
        }
        if (e instanceof Expression.ColumnRef ref) {
            String last = ref.last().toUpperCase(Locale.ROOT);
            // ksqlDB also reads a window bound through the source's name or alias (Test.WindowStart)
            boolean qualifiedBound = ref.parts().size() == 2 && scope.hasRelation(ref.parts().get(0).value())
                    && scope.columns().stream().noneMatch(c -> c.name().equalsIgnoreCase(last));
            if (window != null && (ref.parts().size() == 1 || qualifiedBound)) {
                switch (last) {
                    case "WINDOW_START", "WINDOWSTART" -> {
                        return Optional.of(windowBound("START", windowStart));
                    }
                    case "WINDOW_END", "WINDOWEND" -> {
                        return Optional.of(windowBound("END", windowStart));
                    }
                    case "WINDOW_TIME" -> {
                        return Optional.of(windowBound("ROWTIME", windowStart));
                    }
                    default -> {
                    }
                }
            }
            Optional<Expr> resolved = tryResolve(ref);
            if (resolved.isPresent()) {
                int k = keyExprs.indexOf(resolved.get());
                if (k >= 0) {
                    return Optional.of(new Expr.InputRef(k, keyExprs.get(k).type()));
                }
                String rule = "column `" + ref.last() + "` must appear in GROUP BY or be used in an aggregate function";
                throw ksql ? new SqlException(ref.location(), "Non-aggregate SELECT expression(s) not part of GROUP BY: "
                        + ref.last(), rule) : new SqlException(ref.location(), rule);
            }
        }
        return Optional.empty();
    }

    private int keyIndexOfAst(int astIndex) {
        // keyAsts may hold an alias and its expression for one key: map back to the key position.
        Expression target = keyAsts.get(astIndex);
        int k = 0;
        for (Expression g : select.groupBy()) {
            if (g instanceof FunctionCall f && WindowFunctions.isGroupWindow(f.simpleName())) {
                continue;
            }
            if (input.windowTvf().isPresent() && isTvfBound(g)) {
                continue;
            }
            if (g.equals(target) || selectAliasFallback(g).equals(target)) {
                return k;
            }
            k++;
        }
        return 0;
    }

    private Optional<Expr> tryResolve(Expression.ColumnRef ref) {
        try {
            return Optional.of(new ExpressionAnalyzer(scope, functions, "SELECT").analyze(ref));
        } catch (SqlException notAnInputColumn) {
            return Optional.empty();
        }
    }

    /** ksqlDB's WINDOWSTART and WINDOWEND are BIGINT milliseconds; Flink's are TIMESTAMPs. */
    private ScalarType boundType() {
        return ksql ? ScalarType.BIGINT : ScalarType.TIMESTAMP;
    }

    private Expr windowBound(String bound, int windowStart) {
        return switch (bound) {
            case "START" -> new Expr.InputRef(windowStart, boundType());
            case "END" -> new Expr.InputRef(windowStart + 1, boundType());
            case "ROWTIME" -> new Expr.Call("-", List.of(new Expr.InputRef(windowStart + 1, ScalarType.TIMESTAMP),
                    new Expr.Literal(1L, ScalarType.INTERVAL)), ScalarType.TIMESTAMP);
            default -> throw new IllegalStateException("window bound " + bound);
        };
    }
}
