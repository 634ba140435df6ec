package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decorrelates a scalar sub-query that aggregates the rows matching the outer row by equalities,
 * as Flink (Calcite) does: {@code SELECT t1.a, (SELECT COUNT(*) FROM r t2 WHERE t2.k = t1.k AND p)
 * FROM t t1} is planned as {@code SELECT t1.a, COALESCE(c.v, 0) FROM t t1 LEFT JOIN (SELECT t2.k,
 * COUNT(*) AS v FROM r t2 WHERE p GROUP BY t2.k) c ON t1.k = c.k}. The sub-query becomes a grouped
 * aggregate keyed by the correlation columns, joined by those keys (a foreign-key join when the
 * outer side is a table keyed otherwise), so the same plan answers a pull query and keeps a
 * continuous one current: when rows of {@code r} change, the joined count changes with them.
 * COUNT of no rows is 0 (the LEFT join finds no group); every other aggregate of no rows is NULL.
 */
final class CorrelatedSubqueries {
    private static final Set<String> COUNTS = Set.of("COUNT", "APPROX_COUNT_DISTINCT");

    private CorrelatedSubqueries() {
    }

    /** {@code select} with each correlated scalar sub-query in its SELECT list or WHERE replaced by a join. */
    static QueryBody.Select decorrelate(QueryBody.Select select) {
        if (select.from().isEmpty()) {
            return select;
        }
        Set<String> outer = names(select.from().get());
        List<Expression.ScalarSubquery> found = new ArrayList<>();
        AstWalker.walk(List.of(select.items(), select.where()), n -> true, n -> {
            if (n instanceof Expression.ScalarSubquery s && correlation(s.query(), outer).isPresent()) {
                found.add(s);
            }
        });
        if (found.isEmpty()) {
            return select;
        }
        Expression.ScalarSubquery first = found.get(0);
        if (!select.groupBy().isEmpty() || select.having().isPresent() || select.window().isPresent()) {
            throw new SqlException(first.location(), "not supported yet: a correlated sub-query in a SELECT that "
                    + "aggregates", "aggregate in a sub-query in FROM and select from it");
        }
        for (SelectItem item : select.items()) {
            if (item instanceof SelectItem.AllColumns all && all.qualifier().isEmpty()) {
                throw new SqlException(all.location(), "not supported yet: SELECT * beside a correlated sub-query",
                        "name the columns, or write t.* for the outer table");
            }
        }
        Relation from = select.from().get();
        IdentityHashMap<Object, Object> replacements = new IdentityHashMap<>();
        int n = 0;
        for (Expression.ScalarSubquery s : found) {
            n++;
            Correlated c = correlation(s.query(), outer).orElseThrow();
            String alias = "corr_" + n;
            NodeLocation at = s.location();
            List<SelectItem> items = new ArrayList<>();
            List<Expression> keys = new ArrayList<>();
            Expression condition = null;
            for (int k = 0; k < c.innerSides().size(); k++) {
                String key = alias + "_key_" + k;
                items.add(new SelectItem.SingleColumn(c.innerSides().get(k), Optional.of(id(key, at)), at));
                keys.add(c.innerSides().get(k));
                Expression eq = new Expression.Binary(BinaryOperator.EQ, c.outerSides().get(k), ref(at, alias, key), at);
                condition = condition == null ? eq : new Expression.Binary(BinaryOperator.AND, condition, eq, at);
            }
            String value = alias + "_value";
            items.add(new SelectItem.SingleColumn(c.value(), Optional.of(id(value, at)), at));
            QueryBody.Select inner = new QueryBody.Select(false, List.of(), items, c.select().from(), Optional.empty(),
                    c.rest(), keys, Optional.empty(), Optional.empty(), List.of(), List.of(), c.select().location());
            Relation grouped = new Relation.Subquery(new Query(List.of(), inner, List.of(), Optional.empty(),
                    Optional.empty(), s.query().location()), Optional.of(id(alias, at)), at);
            from = new Relation.Join(Relation.JoinType.LEFT, from, grouped, Optional.of(condition), Optional.empty(), at);
            Expression result = ref(at, alias, value);
            if (c.value() instanceof Expression.FunctionCall f && COUNTS.contains(f.simpleName().toUpperCase(Locale.ROOT))) {
                result = new Expression.FunctionCall(QualifiedName.of("COALESCE"),
                        List.of(result, new Expression.NumericLiteral("0", at)), false, false, List.of(), List.of(),
                        Optional.empty(), Optional.empty(), at);
            }
            replacements.put(s, result);
        }
        List<SelectItem> items = new ArrayList<>();
        for (int i = 0; i < select.items().size(); i++) {
            SelectItem item = select.items().get(i);
            if (item instanceof SelectItem.SingleColumn single && single.alias().isEmpty()
                    && replacements.containsKey(single.expression())) {
                // unnamed, the sub-query's column is named as Flink names any unnamed expression
                item = new SelectItem.SingleColumn(single.expression(), Optional.of(id("EXPR$" + i, single.location())),
                        single.location());
            }
            items.add(AstRewriter.replace(item, replacements));
        }
        return new QueryBody.Select(select.distinct(), select.distinctOn(), items, Optional.of(from), select.window(),
                AstRewriter.replace(select.where(), replacements), select.groupBy(), select.having(), select.qualify(),
                select.into(), select.options(), select.location(), select.partitionBy());
    }

    /** A sub-query {@code SELECT agg FROM r WHERE inner = outer AND ... }: its equalities to outer columns, the rest. */
    private record Correlated(QueryBody.Select select, Expression value, List<Expression> innerSides,
                              List<Expression> outerSides, Optional<Expression> rest) {
    }

    private static Optional<Correlated> correlation(Query query, Set<String> outer) {
        if (!(query.body() instanceof QueryBody.Select s) || s.from().isEmpty() || s.where().isEmpty()) {
            return Optional.empty();
        }
        Set<String> inner = names(s.from().get());
        Set<String> visible = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        visible.addAll(outer);
        visible.removeAll(inner);
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        List<Expression> conjuncts = new ArrayList<>();
        conjuncts(s.where().get(), conjuncts);
        List<Expression> innerSides = new ArrayList<>();
        List<Expression> outerSides = new ArrayList<>();
        Expression rest = null;
        boolean correlatedElsewhere = false;
        for (Expression c : conjuncts) {
            if (c instanceof Expression.Binary b && b.operator() == BinaryOperator.EQ
                    && readsOuter(b.left(), visible) != readsOuter(b.right(), visible)) {
                boolean leftOuter = readsOuter(b.left(), visible);
                outerSides.add(leftOuter ? b.left() : b.right());
                innerSides.add(leftOuter ? b.right() : b.left());
                continue;
            }
            correlatedElsewhere |= readsOuter(c, visible);
            rest = rest == null ? c : new Expression.Binary(BinaryOperator.AND, rest, c, c.location());
        }
        boolean elsewhere = correlatedElsewhere || readsOuter(s.items(), visible) || readsOuter(s.groupBy(), visible)
                || readsOuter(s.having(), visible);
        if (innerSides.isEmpty()) {
            return Optional.empty();
        }
        if (elsewhere || !query.with().isEmpty() || !query.orderBy().isEmpty() || query.limit().isPresent()
                || !s.groupBy().isEmpty() || s.having().isPresent() || s.items().size() != 1
                || !(s.items().get(0) instanceof SelectItem.SingleColumn single) || !aggregates(single.expression())) {
            throw new SqlException(query.location(), "not supported yet: this correlated sub-query",
                    "a correlated sub-query is decorrelated when it selects one aggregate of the rows whose columns "
                            + "equal the outer row's (WHERE inner.k = outer.k [AND conditions on the inner rows])");
        }
        return Optional.of(new Correlated(s, single.expression(), innerSides, outerSides, Optional.ofNullable(rest)));
    }

    private static boolean aggregates(Expression e) {
        return AstWalker.anyMatch(e, n -> n instanceof Expression.FunctionCall f && f.over().isEmpty()
                && Set.of("COUNT", "SUM", "AVG", "MIN", "MAX").contains(f.simpleName().toUpperCase(Locale.ROOT)));
    }

    private static void conjuncts(Expression e, List<Expression> out) {
        if (e instanceof Expression.Binary b && b.operator() == BinaryOperator.AND) {
            conjuncts(b.left(), out);
            conjuncts(b.right(), out);
        } else {
            out.add(e);
        }
    }

    /** Whether {@code node} names a column qualified by one of the outer relations. */
    private static boolean readsOuter(Object node, Set<String> outer) {
        return AstWalker.anyMatch(node, n -> n instanceof Expression.ColumnRef c && c.parts().size() >= 2
                && outer.contains(c.parts().get(0).value()));
    }

    /** The names the relations of a FROM are known by (alias, else table name). */
    private static Set<String> names(Relation r) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        collectNames(r, out);
        return out;
    }

    private static void collectNames(Relation r, Set<String> out) {
        if (r instanceof Relation.Table t) {
            out.add(t.alias().map(Identifier::value).orElse(t.name().simpleName()));
        } else if (r instanceof Relation.TemporalTable t) {
            out.add(t.alias().map(Identifier::value).orElse(t.name().simpleName()));
        } else if (r instanceof Relation.UriSource u) {
            u.alias().ifPresent(a -> out.add(a.value()));
        } else if (r instanceof Relation.Subquery q) {
            q.alias().ifPresent(a -> out.add(a.value()));
        } else if (r instanceof Relation.Join j) {
            collectNames(j.left(), out);
            collectNames(j.right(), out);
        } else if (r instanceof Relation.WindowTableFunction w) {
            w.alias().ifPresent(a -> out.add(a.value()));
            collectNames(w.input(), out);
        }
    }

    private static Identifier id(String name, NodeLocation at) {
        return new Identifier(name, false, at);
    }

    private static Expression.ColumnRef ref(NodeLocation at, String relation, String column) {
        return new Expression.ColumnRef(List.of(id(relation, at), id(column, at)), at);
    }
}
