package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.AstWalker;
import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.runtime.function.FunctionCatalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ksqlDB's rules for an aggregating SELECT ({@code AggregateAnalyzer}), checked on the query as
 * written, before names are resolved, in ksqlDB's order and words: a GROUP BY needs an aggregate; a
 * SELECT expression must be a GROUP BY expression or use only grouped columns outside aggregates
 * (ksqlDB names the whole expression, {@code SUBSTRING(SOURCE, 0, 3)}, and every such expression);
 * a HAVING may use a column outside aggregates only when it is grouped. The window bounds of a
 * WINDOW clause count as grouped. Expressions match as ksqlDB matches them: by their text, columns
 * unqualified.
 */
final class KsqlAggregateCheck {
    private final FunctionCatalog functions;

    KsqlAggregateCheck(FunctionCatalog functions) {
        this.functions = functions;
    }

    void check(QueryBody.Select select) {
        boolean aggregates = select.items().stream().anyMatch(this::hasAggregate)
                || select.having().map(this::hasAggregate).orElse(false);
        if (select.groupBy().isEmpty() && select.window().isEmpty() && !aggregates) {
            return; // not an aggregation
        }
        if (!understood(select)) {
            return; // Sluice's own analysis speaks for what this check does not model
        }
        if (!aggregates) {
            throw new SqlException(select.groupBy().isEmpty() ? select.location() : select.groupBy().get(0).location(),
                    "GROUP BY requires aggregate functions in either the SELECT or HAVING clause.",
                    "add an aggregate such as COUNT(*), or select without GROUP BY");
        }
        Set<String> grouped = new LinkedHashSet<>();
        select.groupBy().forEach(g -> grouped.add(key(g)));
        if (select.window().isPresent()) {
            grouped.add("WINDOWSTART");
            grouped.add("WINDOWEND");
        }
        List<String> unmatched = new ArrayList<>();
        NodeLocation first = null;
        for (SelectItem item : select.items()) {
            Expression e = ((SelectItem.SingleColumn) item).expression();
            if (grouped.contains(key(e))) {
                continue;
            }
            List<Expression> loose = new ArrayList<>();
            collect(e, grouped, loose);
            if (!loose.isEmpty()) {
                unmatched.add(KsqlText.expression(e));
                first = first == null ? e.location() : first;
            }
        }
        if (!unmatched.isEmpty()) {
            throw new SqlException(first, "Non-aggregate SELECT expression(s) not part of GROUP BY: "
                    + String.join(", ", unmatched) + "\nEither add the column(s) to the GROUP BY or remove them from "
                    + "the SELECT.", "each column outside an aggregate must be a GROUP BY expression");
        }
        if (select.having().isPresent()) {
            List<Expression> loose = new ArrayList<>();
            collect(select.having().get(), grouped, loose);
            if (!loose.isEmpty()) {
                throw new SqlException(loose.get(0).location(), "Non-aggregate HAVING expression not part of GROUP BY: "
                        + String.join(", ", loose.stream().map(KsqlText::expression).toList())
                        + "\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.",
                        "HAVING filters groups: use grouped columns and aggregates there");
            }
        }
    }

    /**
     * ksqlDB resolves functions before it checks the grouping: a call to a function that does not
     * exist is reported as such ({@code UdfIndex}), not as a column missing from the GROUP BY.
     */
    void unknownFunctions(QueryBody.Select select) {
        List<Object> all = new ArrayList<>(select.items());
        select.where().ifPresent(all::add);
        all.addAll(select.groupBy());
        select.having().ifPresent(all::add);
        AstWalker.walk(all, n -> true, n -> {
            if (n instanceof Expression.FunctionCall f && f.over().isEmpty() && !known(f)
                    && !special(f.simpleName().toUpperCase(Locale.ROOT))) {
                String name = f.simpleName().toUpperCase(Locale.ROOT);
                throw new SqlException(f.location(), "Can't find any functions with the name '" + name + "'",
                        "no built-in or declared function is called " + name);
            }
        });
    }

    /**
     * ksqlDB's window bounds with a WINDOW clause: readable in the SELECT list only, not in GROUP BY
     * or HAVING, nor inside an aggregate (Sluice would report them as unknown columns). In WHERE,
     * before the window exists, ksqlDB reports them as unknown columns, as Sluice does.
     */
    void windowBounds(QueryBody.Select select) {
        if (select.window().isEmpty()) {
            return;
        }
        List<Object> anywhere = new ArrayList<>(select.groupBy());
        select.having().ifPresent(anywhere::add);
        List<Object> inAggregates = new ArrayList<>();
        AstWalker.walk(select.items(), n -> true, n -> {
            if (aggregate(n)) {
                inAggregates.add(n);
            }
        });
        List<Object> searched = new ArrayList<>(inAggregates);
        searched.addAll(anywhere);
        for (Object node : searched) {
            AstWalker.walk(node, n -> true, n -> {
                if (n instanceof Expression.ColumnRef ref && ref.parts().size() == 1
                        && Set.of("WINDOWSTART", "WINDOWEND").contains(ref.last().toUpperCase(Locale.ROOT))) {
                    throw new SqlException(ref.location(), "Window bounds column " + ref.last().toUpperCase(Locale.ROOT)
                            + " can only be used in the SELECT clause of windowed aggregations and can not be passed "
                            + "to aggregate functions.\nSee https://github.com/confluentinc/ksql/issues/4397",
                            "select it as a column of the result; filter on it in a query over the result");
                }
            });
        }
    }

    /**
     * Queries this check models: plain SELECT items (no {@code *}, which ksqlDB expands to columns
     * this check cannot see), known functions (ksqlDB reports an unknown one first), no lambdas, and
     * GROUP BY expressions that are not a SELECT alias (ksqlDB groups by input columns only).
     */
    private boolean understood(QueryBody.Select select) {
        if (select.items().stream().anyMatch(i -> !(i instanceof SelectItem.SingleColumn))) {
            return false;
        }
        Set<String> aliases = new java.util.HashSet<>();
        select.items().forEach(i -> ((SelectItem.SingleColumn) i).alias().ifPresent(a -> aliases.add(key(a.value()))));
        if (select.groupBy().stream().anyMatch(g -> g instanceof Expression.ColumnRef ref
                && ref.parts().size() == 1 && aliases.contains(key(ref.last())) || !(plain(g)))) {
            return false;
        }
        List<Object> all = new ArrayList<>(select.items());
        select.having().ifPresent(all::add);
        return !AstWalker.anyMatch(all, n -> n instanceof Expression.Lambda
                || n instanceof Expression.FunctionCall f && (f.over().isPresent() || !known(f)));
    }

    /** Names the analyzer handles itself, outside the function catalog. */
    private boolean special(String name) {
        return functions.names().stream().anyMatch(name::equalsIgnoreCase)
                || Set.of("COALESCE", "IFNULL", "NVL", "IF", "IIF").contains(name)
                || java.util.Arrays.stream(dev.sluice.runtime.plan.ExplodeStep.TableFunction.values())
                .anyMatch(t -> t.name().equals(name));
    }

    private boolean plain(Expression g) {
        return !AstWalker.anyMatch(g, n -> n instanceof Expression.FunctionCall f && !known(f));
    }

    private boolean known(Expression.FunctionCall f) {
        String name = f.simpleName().toUpperCase(Locale.ROOT);
        return functions.aggregate(name).isPresent() || functions.scalar(name).isPresent();
    }

    private boolean aggregate(Object node) {
        return node instanceof Expression.FunctionCall f
                && functions.aggregate(f.simpleName().toUpperCase(Locale.ROOT)).isPresent();
    }

    private boolean hasAggregate(Object node) {
        return AstWalker.anyMatch(node, this::aggregate);
    }

    /** The columns of {@code e} used outside aggregates and outside grouped sub-expressions. */
    private void collect(Expression e, Set<String> grouped, List<Expression> loose) {
        AstWalker.walk(e, n -> !(n instanceof Expression && grouped.contains(key((Expression) n))) && !aggregate(n),
                n -> {
                    if (n instanceof Expression.ColumnRef ref && !grouped.contains(key(ref))
                            && !aggregate(n) && loose.stream().noneMatch(l -> key(l).equals(key(ref)))) {
                        loose.add(ref);
                    }
                });
    }

    /** An expression's text with columns unqualified: how ksqlDB's rewritten expressions compare. */
    private static String key(Expression e) {
        return key(KsqlText.expression(e, false));
    }

    private static String key(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    static Optional<QueryBody.Select> select(dev.sluice.grammar.ast.Query query) {
        return query.body() instanceof QueryBody.Select s ? Optional.of(s) : Optional.empty();
    }
}
