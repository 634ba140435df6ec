package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.FunctionCatalog;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code SELECT DISTINCT ON (k) ... ORDER BY k, time [DESC]}: one row per key, the first (or, with
 * DESC, the last) by event time. How long a key is remembered: the query's
 * {@code WITH (deduplication_window = '1 hour')}, in stream time after the kept row's event time;
 * without it, forever, as Flink does without a state TTL. (Forgetting keys once the watermark
 * passes them would bound state too, but a duplicate re-sent later than the watermark delay, a
 * producer retry or a replay, would then come through again: deduplication must not depend on
 * how late a duplicate is.)
 */
final class Deduplication {
    private static final Set<String> RETENTION_KEYS = Set.of("deduplication_window", "deduplication.retention",
            "dedup.retention");

    private Deduplication() {
    }

    static PlannedRelation distinctOn(PlannedRelation input, QueryBody.Select select, List<SortItem> order,
                                      FunctionCatalog functions, StepNames names) {
        Scope scope = input.scope();
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(scope, functions, "DISTINCT ON");
        if (input.step().shape() == Step.Shape.TABLE) {
            return overTable(input, select, order, analyzer, names);
        }
        List<Expr> keys = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        for (Expression k : select.distinctOn()) {
            Expr e = analyzer.analyze(selectAlias(k, select, scope));
            keys.add(e);
            keyColumns.add(new Column(k instanceof Expression.ColumnRef ref ? ref.last() : "KEY$" + keys.size(), e.type()));
        }
        int i = 0;
        while (i < order.size() && i < select.distinctOn().size() && order.get(i).key().equals(select.distinctOn().get(i))) {
            i++;
        }
        boolean keepLast = false;
        OptionalInt orderColumn = OptionalInt.empty();
        if (i < order.size()) {
            SortItem by = order.get(i);
            Expr time = analyzer.analyze(by.key());
            if (!(time instanceof Expr.InputRef ref) || scope.rowtimeColumn().isEmpty()
                    || ref.index() != scope.rowtimeColumn().getAsInt() || i + 1 < order.size()) {
                throw new SqlException(by.location(), "DISTINCT ON keeps the first or last row by event time: ORDER BY "
                        + "the DISTINCT ON keys, then the event time column [DESC]",
                        scope.rowtimeColumn().isPresent() ? "the event time column here is `"
                                + scope.columns().get(scope.rowtimeColumn().getAsInt()).name() + "`" : null);
            }
            keepLast = by.descending();
            orderColumn = OptionalInt.of(ref.index());
        }
        long retention = retention(select).orElse(0);
        Step keyed = new RekeyStep(names.name("distinct-on-key"), input.step(), keys, new Schema(keyColumns));
        Step step = new DeduplicateStep(names.name("distinct-on"), keyed, keepLast, orderColumn, retention);
        return new PlannedRelation(step, scope);
    }

    /**
     * DISTINCT ON over a table (its rows update and are deleted): the first row per key by the
     * ORDER BY after the DISTINCT ON keys (any columns; ties in arrival order) is a top-1 per key,
     * which the rank step maintains as rows change, move between keys or are deleted: when the kept
     * row goes, the next one takes its place.
     */
    private static PlannedRelation overTable(PlannedRelation input, QueryBody.Select select, List<SortItem> order,
                                             ExpressionAnalyzer analyzer, StepNames names) {
        Step table = input.step();
        Scope scope = input.scope();
        for (String key : table.keySchema().names()) {
            if (table.schema().indexOf(key).isEmpty()) {
                throw new SqlException(select.location(), "not supported yet: DISTINCT ON over a table whose key "
                        + "column `" + key + "` is not one of its columns", "a table row is retracted by its key");
            }
        }
        List<Integer> partition = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        for (Expression k : select.distinctOn()) {
            Expr e = analyzer.analyze(selectAlias(k, select, scope));
            if (!(e instanceof Expr.InputRef ref)) {
                throw new SqlException(k.location(), "not supported yet: DISTINCT ON an expression over a table",
                        "compute it in a sub-query and DISTINCT ON its column");
            }
            partition.add(ref.index());
            keyColumns.add(table.schema().column(ref.index()));
        }
        int i = 0;
        while (i < order.size() && i < select.distinctOn().size() && order.get(i).key().equals(select.distinctOn().get(i))) {
            i++;
        }
        List<RankStep.SortKey> sort = new ArrayList<>();
        for (SortItem by : order.subList(i, order.size())) {
            Expr e = analyzer.analyze(by.key());
            if (!(e instanceof Expr.InputRef ref)) {
                throw new SqlException(by.location(), "not supported yet: DISTINCT ON over a table ordered by an "
                        + "expression", "compute it in a sub-query and ORDER BY its column");
            }
            sort.add(new RankStep.SortKey(ref.index(), by.descending(), by.nullsFirst().orElse(by.descending())));
        }
        keyColumns.add(new Column("position", ScalarType.BIGINT));
        Step step = new RankStep(names.name("distinct-on"), table, RankStep.Function.ROW_NUMBER, partition, sort, 1,
                false, new Schema(keyColumns), table.schema());
        return new PlannedRelation(step, scope);
    }

    /** DISTINCT ON may name a SELECT alias. */
    private static Expression selectAlias(Expression k, QueryBody.Select select, Scope scope) {
        if (k instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                && scope.find(Optional.empty(), ref.parts().get(0)).isEmpty()) {
            for (SelectItem item : select.items()) {
                if (item instanceof SelectItem.SingleColumn s && s.alias().isPresent()
                        && s.alias().get().value().equalsIgnoreCase(ref.last())) {
                    return s.expression();
                }
            }
        }
        return k;
    }

    /**
     * Seed 001's {@code WITH (deduplication_key = 'event_id', deduplication_window = '1 hour')} after
     * a query (for a UNION ALL, after its last SELECT, covering the whole union): one row per key, the
     * first to arrive, a key remembered for the window (forever without one), as DISTINCT ON does.
     */
    static PlannedRelation byKeyOption(PlannedRelation planned, dev.sluice.grammar.ast.Query query,
                                       FunctionCatalog functions, StepNames names) {
        QueryBody body = query.body();
        while (body instanceof QueryBody.SetOperation set) {
            body = set.right();
        }
        if (!(body instanceof QueryBody.Select last)) {
            return planned;
        }
        Optional<Property> option = last.options().stream()
                .filter(p -> p.key().toLowerCase(Locale.ROOT).replace("'", "").equals("deduplication_key")).findFirst();
        if (option.isEmpty()) {
            return planned;
        }
        if (!last.distinctOn().isEmpty()) {
            throw new SqlException(option.get().location(), "deduplication_key beside DISTINCT ON: say the key once",
                    "remove deduplication_key");
        }
        if (planned.step().shape() != Step.Shape.STREAM) {
            throw new SqlException(option.get().location(), "deduplication_key keeps the first row of each key of a"
                    + " stream, but this query's result is an updating table", "deduplicate its input instead");
        }
        String text = option.get().value() instanceof Expression.StringLiteral lit ? lit.value()
                : option.get().value().toString();
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(planned.scope(), functions, "deduplication_key");
        List<Expr> keys = new ArrayList<>();
        List<Column> keyColumns = new ArrayList<>();
        for (String name : text.replaceAll("[\\[\\]'\"]", "").split(",")) {
            String column = name.strip();
            dev.sluice.grammar.ast.Identifier id = new dev.sluice.grammar.ast.Identifier(column, false,
                    option.get().location());
            if (planned.scope().find(Optional.empty(), id).isEmpty()) {
                throw new SqlException(option.get().location(), "deduplication_key names `" + column
                        + "`, which the query's result does not have");
            }
            Expr e = analyzer.analyze(new Expression.ColumnRef(List.of(id), option.get().location()));
            keys.add(e);
            keyColumns.add(new Column(column, e.type()));
        }
        long retention = retention(last).orElse(0);
        Step keyed = new RekeyStep(names.name("dedup-key"), planned.step(), keys, new Schema(keyColumns));
        return new PlannedRelation(new DeduplicateStep(names.name("dedup"), keyed, false, OptionalInt.empty(), retention),
                planned.scope());
    }

    /** {@code WITH (deduplication_window = '1 hour')} after the SELECT, in milliseconds. */
    static OptionalLong retention(QueryBody.Select select) {
        for (Property p : select.options()) {
            if (RETENTION_KEYS.contains(p.key().toLowerCase(Locale.ROOT).replace("'", ""))) {
                if (p.value() instanceof Expression.StringLiteral s) {
                    return OptionalLong.of(Intervals.millis(new Expression.IntervalLiteral(s.value(), false,
                            Optional.empty(), Optional.empty(), p.location())));
                }
                if (p.value() instanceof Expression.IntervalLiteral interval) {
                    return OptionalLong.of(Intervals.millis(interval));
                }
                throw new SqlException(p.location(), p.key() + " must be a duration such as '1 hour'");
            }
        }
        return OptionalLong.empty();
    }
}
