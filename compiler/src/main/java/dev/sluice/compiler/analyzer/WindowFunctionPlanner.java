package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.FunctionCall;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Window functions ({@code f(...) OVER (PARTITION BY ... ORDER BY ...)}) in a SELECT list. Calls
 * sharing one OVER clause are planned together, each group as: a "prepare" projection that keeps
 * every input column in place and appends what the group computes from (partition keys, sort keys,
 * arguments), then the window step, which appends one column per call. Because input columns keep
 * their positions, everything the SELECT list already resolves (columns, GROUP BY keys,
 * aggregates) still resolves; the calls themselves resolve to the appended columns.
 *
 * <p>LAG/LEAD become a {@link LagLeadStep} over a re-key by the partition; ROW_NUMBER, RANK and
 * DENSE_RANK become a {@link RankStep} (Top-N when {@code rankLimits} bounds the column they are
 * selected as), except that {@code ROW_NUMBER() OVER (PARTITION BY k ORDER BY <event time>)} kept
 * to 1 over a stream is a {@link DeduplicateStep}.
 */
final class WindowFunctionPlanner {
    private static final Set<String> RANKING = Set.of("ROW_NUMBER", "RANK", "DENSE_RANK");
    private static final Set<String> OFFSET = Set.of("LAG", "LEAD");

    private final FunctionCatalog functions;
    private final StepNames names;
    private final OptionalLong dedupRetentionMs;

    WindowFunctionPlanner(FunctionCatalog functions, StepNames names, OptionalLong dedupRetentionMs) {
        this.functions = functions;
        this.names = names;
        this.dedupRetentionMs = dedupRetentionMs;
    }

    /** The planned window functions: the step, its scope, and the rewrite resolving each call. */
    record Planned(Step step, Scope scope, Function<Expression, Optional<Expr>> rewrite) {
    }

    static boolean isWindowCall(Object node) {
        return node instanceof FunctionCall f && f.over().isPresent();
    }

    /**
     * Plans every OVER call of {@code items}. {@code rewrite} resolves what the input already
     * computed (GROUP BY keys and aggregates after grouping). {@code rankLimits}: output column name
     * (lower case) to the largest rank a later filter keeps ({@code QUALIFY rn <= 5}).
     */
    Planned plan(Step input, Scope scope, Function<Expression, Optional<Expr>> rewrite, List<SelectItem> items,
                 Map<String, Long> rankLimits) {
        Map<Expression.Over, List<FunctionCall>> groups = new LinkedHashMap<>();
        AstWalker.walk(items, n -> !isWindowCall(n), n -> {
            if (isWindowCall(n)) {
                FunctionCall f = (FunctionCall) n;
                List<FunctionCall> calls = groups.computeIfAbsent(f.over().get(), k -> new ArrayList<>());
                if (!calls.contains(f)) {
                    calls.add(f);
                }
            }
        });
        Step step = input;
        Scope current = scope;
        Map<FunctionCall, Expr> resolved = new LinkedHashMap<>();
        for (Map.Entry<Expression.Over, List<FunctionCall>> group : groups.entrySet()) {
            Function<Expression, Optional<Expr>> known = rewrite;
            ExpressionAnalyzer analyzer = new ExpressionAnalyzer(current, functions, known, "OVER");
            String kind = kindOf(group.getValue());
            Planned planned = kind.equals("offset")
                    ? offsets(step, current, analyzer, group.getKey(), group.getValue(), resolved)
                    : kind.equals("running")
                    ? RunningAggregates.plan(step, current, analyzer, group.getKey(), group.getValue(), resolved, names,
                    functions)
                    : ranking(step, current, analyzer, group.getKey(), group.getValue(), resolved,
                    limitFor(group.getValue(), items, rankLimits), items);
            step = planned.step();
            current = planned.scope();
        }
        Function<Expression, Optional<Expr>> all = e -> {
            Expr r = resolved.get(e);
            return r != null ? Optional.of(r) : rewrite.apply(e);
        };
        return new Planned(step, current, all);
    }

    private String kindOf(List<FunctionCall> calls) {
        boolean offset = false;
        boolean ranking = false;
        boolean running = false;
        for (FunctionCall f : calls) {
            String name = f.simpleName().toUpperCase(Locale.ROOT);
            if (OFFSET.contains(name)) {
                offset = true;
            } else if (RANKING.contains(name)) {
                ranking = true;
            } else if (RunningAggregates.SUPPORTED.contains(name) && functions.aggregate(name).isPresent()) {
                running = true;
            } else {
                throw new SqlException(f.location(), "not supported yet: " + name + "(...) OVER (...)",
                        "window functions supported: LAG, LEAD, ROW_NUMBER, RANK, DENSE_RANK, and "
                                + String.join(", ", RunningAggregates.SUPPORTED) + " as running aggregates");
            }
        }
        if (running) {
            if (offset || ranking) {
                throw new SqlException(calls.get(0).location(), "not supported yet: an aggregate and a ranking or "
                        + "LAG/LEAD function sharing one OVER clause", "write one of them in a sub-query");
            }
            return "running";
        }
        if (offset && ranking) {
            throw new SqlException(calls.get(0).location(), "not supported yet: LAG/LEAD and a ranking function "
                    + "sharing one OVER clause", "write the ranking in a sub-query");
        }
        return offset ? "offset" : "ranking";
    }

    // ---- LAG / LEAD ---------------------------------------------------------------------------

    private Planned offsets(Step input, Scope scope, ExpressionAnalyzer analyzer, Expression.Over over,
                            List<FunctionCall> calls, Map<FunctionCall, Expr> resolved) {
        if (input.shape() == Step.Shape.TABLE) {
            throw new SqlException(over.location(), "LAG/LEAD need a stream, and this input is a table whose rows "
                    + "change", "apply LAG/LEAD to the stream before aggregating it");
        }
        Expr time = checkTimeOrder(over, analyzer);
        // Ordered by a source's event time under a watermark: sort as Flink does. Windowed results
        // (ordered by a window bound) already arrive in time order.
        OptionalLong sortDelay = time instanceof Expr.InputRef ref && scope.rowtimeColumn().isPresent()
                && ref.index() == scope.rowtimeColumn().getAsInt() ? scope.watermarkDelayMs() : OptionalLong.empty();
        Prepared prepared = new Prepared(scope);
        List<Integer> partition = prepared.partitionColumns(over.partitionBy(), analyzer);
        List<LagLeadStep.OffsetCall> offsetCalls = new ArrayList<>();
        for (FunctionCall f : calls) {
            String name = f.simpleName().toUpperCase(Locale.ROOT);
            if (f.arguments().isEmpty() || f.arguments().size() > 3) {
                throw new SqlException(f.location(), name + " expects (value [, offset [, default]])");
            }
            Expr value = analyzer.analyze(f.arguments().get(0));
            int offset = 1;
            if (f.arguments().size() > 1) {
                Expr n = analyzer.analyze(f.arguments().get(1));
                if (!(n instanceof Expr.Literal l) || !(l.value() instanceof Number num) || num.longValue() < 1) {
                    throw new SqlException(f.arguments().get(1).location(), name + "'s offset must be a positive "
                            + "integer constant");
                }
                offset = num.intValue();
            }
            Expr fallback = new Expr.Literal(null, value.type());
            if (f.arguments().size() > 2) {
                Expr d = analyzer.analyze(f.arguments().get(2));
                dev.sluice.serdes.row.SqlType common = ExpressionAnalyzer.commonType(List.of(value, d),
                        f.location(), name + " value and default");
                value = ExpressionAnalyzer.coerce(value, common);
                fallback = ExpressionAnalyzer.coerce(d, common);
            }
            int argument = value instanceof Expr.InputRef ref ? ref.index() : prepared.append(value, "ARG$");
            offsetCalls.add(new LagLeadStep.OffsetCall(name.equals("LEAD"), argument, offset, fallback));
        }
        Step step = prepared.expressions.size() == scope.size() ? input
                : new ProjectStep(names.name("over-prepare"), input, prepared.expressions, prepared.schema());
        step = rekey(step, partition, prepared);
        List<Column> out = new ArrayList<>(prepared.columns);
        List<ScopeColumn> cols = new ArrayList<>(prepared.scopeColumns);
        for (int i = 0; i < calls.size(); i++) {
            dev.sluice.serdes.row.SqlType type = prepared.columns.get(offsetCalls.get(i).argument()).type();
            int index = out.size();
            out.add(new Column("OVER$" + index, type));
            cols.add(new ScopeColumn(Optional.empty(), "OVER$" + index, type, index, true));
            resolved.put(calls.get(i), new Expr.InputRef(index, type));
        }
        step = new LagLeadStep(names.name("over"), step, offsetCalls, sortDelay, new Schema(out));
        return new Planned(step, new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs(),
                scope.windowBounds()), e -> Optional.empty());
    }

    /** A stream is processed in time order: LAG/LEAD must be ordered by a time, ascending. */
    private static Expr checkTimeOrder(Expression.Over over, ExpressionAnalyzer analyzer) {
        if (over.orderBy().size() != 1) {
            throw new SqlException(over.location(), "LAG/LEAD need ORDER BY one time column, ascending",
                    "a stream is processed in time order: ORDER BY its event time or the window start");
        }
        SortItem order = over.orderBy().get(0);
        Expr key = analyzer.analyze(order.key());
        if (order.descending() || (key.type() != ScalarType.TIMESTAMP && key.type() != ScalarType.DATE)) {
            throw new SqlException(order.location(), "LAG/LEAD need ORDER BY a time column ascending, got "
                    + key.type().sql() + (order.descending() ? " DESC" : ""),
                    "a stream is processed in time order: ORDER BY its event time or the window start");
        }
        return key;
    }

    // ---- ROW_NUMBER / RANK / DENSE_RANK -------------------------------------------------------

    private Planned ranking(Step input, Scope scope, ExpressionAnalyzer analyzer, Expression.Over over,
                            List<FunctionCall> calls, Map<FunctionCall, Expr> resolved, long limit,
                            List<SelectItem> items) {
        String name = calls.get(0).simpleName().toUpperCase(Locale.ROOT);
        for (FunctionCall f : calls) {
            if (!f.arguments().isEmpty()) {
                throw new SqlException(f.location(), name + "() takes no arguments");
            }
            if (!f.simpleName().equalsIgnoreCase(name)) {
                throw new SqlException(f.location(), "not supported yet: two ranking functions over one OVER clause");
            }
        }
        if (over.orderBy().isEmpty()) {
            throw new SqlException(over.location(), name + "() OVER needs ORDER BY", "rank by something, e.g. "
                    + "ORDER BY the event time for deduplication");
        }
        boolean table = input.shape() == Step.Shape.TABLE;
        if (table) {
            for (String key : input.keySchema().names()) {
                if (scope.columns().stream().noneMatch(c -> c.name().equalsIgnoreCase(key))) {
                    throw new SqlException(over.location(), "not supported yet: ranking a table whose key column `"
                            + key + "` is not one of its columns", "a ranked table row is retracted by its key");
                }
            }
        }
        Prepared prepared = new Prepared(scope);
        // Over a table, a row whose partition changes is retracted from its old partition by the
        // rank step itself (it keeps each key's last row), so any expression may partition.
        List<Integer> partition = prepared.partitionColumns(over.partitionBy(), analyzer);
        List<RankStep.SortKey> order = new ArrayList<>();
        List<Expr> orderExprs = new ArrayList<>();
        for (SortItem s : over.orderBy()) {
            Expr e = analyzer.analyze(s.key());
            orderExprs.add(e);
            int column = e instanceof Expr.InputRef ref ? ref.index() : prepared.append(e, "ORDER$");
            order.add(new RankStep.SortKey(column, s.descending(), s.nullsFirst().orElse(s.descending())));
        }
        Step prepare = prepared.expressions.size() == scope.size() ? input
                : new ProjectStep(names.name("rank-prepare"), input, prepared.expressions, prepared.schema());
        Optional<Integer> rowtime = scope.rowtimeColumn().isPresent() ? Optional.of(scope.rowtimeColumn().getAsInt())
                : Optional.empty();
        boolean byEventTime = orderExprs.size() == 1 && orderExprs.get(0) instanceof Expr.InputRef ref
                && rowtime.isPresent() && ref.index() == rowtime.get();
        List<Column> out = new ArrayList<>(prepared.columns);
        List<ScopeColumn> cols = new ArrayList<>(prepared.scopeColumns);
        int rankIndex = out.size();
        out.add(new Column("OVER$" + rankIndex, ScalarType.BIGINT));
        cols.add(new ScopeColumn(Optional.empty(), "OVER$" + rankIndex, ScalarType.BIGINT, rankIndex, true));
        Step step;
        if (name.equals("ROW_NUMBER") && limit == 1 && byEventTime && !table) {
            // Deduplication: first (ASC) or last (DESC) row per key by event time.
            Step keyed = rekey(prepare, partition, prepared);
            long retention = dedupRetentionMs.orElse(0);
            step = new DeduplicateStep(names.name("dedup"), keyed, over.orderBy().get(0).descending(),
                    OptionalInt.of(rowtime.get()), retention);
            List<Expr> withOne = new ArrayList<>();
            for (int i = 0; i < prepared.columns.size(); i++) {
                withOne.add(new Expr.InputRef(i, prepared.columns.get(i).type()));
            }
            withOne.add(new Expr.Literal(1L, ScalarType.BIGINT));
            step = new ProjectStep(names.name("dedup-rank"), step, withOne, new Schema(out));
        } else {
            List<Column> key = new ArrayList<>();
            for (int i = 0; i < partition.size(); i++) {
                Column column = prepared.columns.get(partition.get(i));
                // A computed partition is a key column of the output topic: name it as the SELECT
                // list does when an item selects the same expression, not by its internal name.
                String keyName = column.name().startsWith("PARTITION$")
                        ? aliasOf(over.partitionBy().get(i), items).orElse("partition_" + (i + 1)) : column.name();
                key.add(new Column(keyName, column.type()));
            }
            key.add(new Column("position", ScalarType.BIGINT));
            RankStep.Function function = RankStep.Function.valueOf(name);
            step = new RankStep(names.name("rank"), prepare, function, partition, order, limit, true,
                    new Schema(key), new Schema(out));
        }
        for (FunctionCall f : calls) {
            resolved.put(f, new Expr.InputRef(rankIndex, ScalarType.BIGINT));
        }
        return new Planned(step, new Scope(cols, scope.rowtimeColumn(), scope.watermarkDelayMs(),
                scope.windowBounds()), e -> Optional.empty());
    }

    /** The alias of a SELECT item that selects exactly {@code expression}. */
    private static Optional<String> aliasOf(Expression expression, List<SelectItem> items) {
        for (SelectItem item : items) {
            if (item instanceof SelectItem.SingleColumn s && s.alias().isPresent() && s.expression().equals(expression)) {
                return Optional.of(s.alias().get().value());
            }
        }
        return Optional.empty();
    }

    /** The rank limit a later filter puts on the column a ranking call is selected as. */
    private static long limitFor(List<FunctionCall> calls, List<SelectItem> items, Map<String, Long> rankLimits) {
        for (SelectItem item : items) {
            if (item instanceof SelectItem.SingleColumn s && s.alias().isPresent() && calls.contains(s.expression())) {
                Long limit = rankLimits.get(s.alias().get().value().toLowerCase(Locale.ROOT));
                if (limit != null) {
                    return limit;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    private Step rekey(Step step, List<Integer> partition, Prepared prepared) {
        List<Expr> keys = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        for (int p : partition) {
            keys.add(new Expr.InputRef(p, prepared.columns.get(p).type()));
            keyColumns.add(prepared.columns.get(p));
        }
        return new RekeyStep(names.name("partition"), step, keys, new Schema(keyColumns));
    }

    /** The input columns in place, then appended computed columns (hidden from {@code *}). */
    static final class Prepared {
        final List<Expr> expressions = new ArrayList<>();
        final List<Column> columns = new ArrayList<>();
        final List<ScopeColumn> scopeColumns = new ArrayList<>();

        Prepared(Scope scope) {
            for (ScopeColumn c : scope.columns()) {
                expressions.add(new Expr.InputRef(c.index(), c.type()));
                columns.add(new Column(c.name(), c.type()));
                scopeColumns.add(c);
            }
        }

        int append(Expr e, String prefix) {
            int index = expressions.size();
            expressions.add(e);
            columns.add(new Column(prefix + index, e.type()));
            scopeColumns.add(new ScopeColumn(Optional.empty(), prefix + index, e.type(), index, true));
            return index;
        }

        /**
         * The columns an OVER's PARTITION BY names: the input column where an expression is one,
         * else a computed column appended here ({@code PARTITION$n}).
         */
        List<Integer> partitionColumns(List<Expression> partitionBy, ExpressionAnalyzer analyzer) {
            List<Integer> partition = new ArrayList<>();
            for (Expression p : partitionBy) {
                Expr e = analyzer.analyze(p);
                partition.add(e instanceof Expr.InputRef ref ? ref.index() : append(e, "PARTITION$"));
            }
            return partition;
        }

        Schema schema() {
            return new Schema(columns);
        }
    }
}
