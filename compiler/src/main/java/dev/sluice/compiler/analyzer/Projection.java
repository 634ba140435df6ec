package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A SELECT list resolved against a scope: one typed expression and one output name per column,
 * with {@code *} expanded. Unnamed expressions are called {@code EXPR$i} as in Flink.
 */
record Projection(List<Expr> expressions, List<String> names) {

    /**
     * How unnamed columns are named. Flink: {@code EXPR$i}. ksqlDB: {@code KSQL_COL_n} counting
     * generated names only (skipping numbers the input already uses), and in a join a qualified
     * column {@code t.id} is named {@code T_ID}, its source alias and name, when another source has
     * a column {@code ID} (else {@code ID}); {@code t.*} always gives {@code T_…} names.
     */
    record Naming(boolean ksql, boolean join) {
        static final Naming FLINK = new Naming(false, false);
    }

    static Projection of(List<SelectItem> items, Scope scope, ExpressionAnalyzer analyzer) {
        return of(items, scope, analyzer, Naming.FLINK);
    }

    static Projection of(List<SelectItem> items, Scope scope, ExpressionAnalyzer analyzer, Naming naming) {
        int[] generated = {0};
        Set<String> inputNames = new HashSet<>();
        scope.columns().forEach(c -> inputNames.add(c.name().toUpperCase(Locale.ROOT)));
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        java.util.Map<String, Expr> lateral = new java.util.HashMap<>();
        analyzer = analyzer.withLateralAliases(lateral);
        Set<String> clashing = clashingNames(scope);
        KsqlFieldAliases fieldAliases = new KsqlFieldAliases(inputNames);
        for (SelectItem item : items) {
            if (item instanceof SelectItem.AllColumns all) {
                Optional<String> relation = all.qualifier().map(q -> q.simpleName());
                if (relation.isPresent() && !scope.hasRelation(relation.get())) {
                    throw naming.ksql() ? new SqlException(all.location(), "'" + relation.get() + "' is not a valid "
                            + "stream/table name or alias.", "unknown relation `" + relation.get() + "` in "
                            + relation.get() + ".*") : new SqlException(all.location(), "unknown relation `"
                            + relation.get() + "` in " + relation.get() + ".*");
                }
                for (ScopeColumn c : scope.visible(relation)) {
                    exprs.add(new Expr.InputRef(c.index(), c.type()));
                    String name = naming.ksql() && naming.join() && c.relation().isPresent()
                            ? c.relation().get().toUpperCase(Locale.ROOT) + "_" + c.name() : c.name();
                    names.add(unique(name, used));
                }
                continue;
            }
            if (item instanceof SelectItem.StructFields fields) {
                // ksqlDB's struct->*: one column per field, named after the field (FIELD reads it by position)
                Expr struct = analyzer.analyze(fields.struct());
                if (!(struct.type() instanceof dev.sluice.serdes.row.StructType st)) {
                    throw new SqlException(fields.location(), "'->*' selects the fields of a STRUCT, and this "
                            + "expression is a " + struct.type().sql(), "write ->* after a STRUCT column");
                }
                for (int i = 0; i < st.fields().size(); i++) {
                    exprs.add(new Expr.Call("FIELD", List.of(struct, new Expr.Literal(i,
                            dev.sluice.serdes.row.ScalarType.INTEGER)), st.fields().get(i).type()));
                    names.add(unique(st.fields().get(i).name(), used));
                }
                continue;
            }
            SelectItem.SingleColumn single = (SelectItem.SingleColumn) item;
            if (naming.ksql()) {
                reservedNames(single);
            }
            exprs.add(analyzer.analyze(single.expression()));
            String name = single.alias().map(a -> a.value())
                    .orElseGet(() -> naming.ksql() ? ksqlName(single.expression(), naming, generated, inputNames, clashing,
                            fieldAliases)
                            : single.expression() instanceof Expression.ColumnRef ref ? ref.last()
                            : "EXPR$" + (exprs.size() - 1));
            names.add(unique(name, used));
            single.alias().ifPresent(a -> lateral.putIfAbsent(a.value().toLowerCase(Locale.ROOT), exprs.get(exprs.size() - 1)));
        }
        return new Projection(exprs, names);
    }

    /**
     * The column names that more than one relation of the scope has (ksqlDB's "clashing" names),
     * plus the pseudo columns every source has.
     */
    private static Set<String> clashingNames(Scope scope) {
        java.util.Map<String, Set<String>> relations = new java.util.HashMap<>();
        for (ScopeColumn c : scope.columns()) {
            relations.computeIfAbsent(c.name().toUpperCase(Locale.ROOT), n -> new HashSet<>())
                    .add(c.relation().orElse("").toUpperCase(Locale.ROOT));
        }
        Set<String> clashing = new HashSet<>(Set.of("ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART",
                "WINDOWEND"));
        relations.forEach((name, rels) -> {
            if (rels.size() > 1) {
                clashing.add(name);
            }
        });
        return clashing;
    }

    /**
     * ksqlDB's ROWPARTITION and ROWOFFSET are pseudo columns: a sink may not have a column of
     * either name, so a SELECT must alias them and may not alias anything else to them.
     */
    private static void reservedNames(SelectItem.SingleColumn single) {
        if (single.alias().isPresent()) {
            String alias = single.alias().get().value().toUpperCase(Locale.ROOT);
            if (alias.equals("ROWPARTITION") || alias.equals("ROWOFFSET")) {
                throw new SqlException(single.alias().get().location(), "`" + alias + "` is a reserved column name. "
                        + "You cannot use it as an alias for a column.", "choose another alias");
            }
        } else if (single.expression() instanceof Expression.ColumnRef ref
                && (ref.last().equalsIgnoreCase("ROWPARTITION") || ref.last().equalsIgnoreCase("ROWOFFSET"))) {
            throw new SqlException(ref.location(), "Reserved column name in select: `"
                    + ref.last().toUpperCase(Locale.ROOT) + "`. Please remove or alias the column.",
                    "write " + ref.last() + " AS another_name");
        }
    }

    private static String ksqlName(Expression e, Naming naming, int[] generated, Set<String> inputNames,
                                   Set<String> clashing, KsqlFieldAliases fieldAliases) {
        if (e instanceof Expression.ColumnRef ref) {
            // ksqlDB prefixes a qualified column with its source only when another source of the
            // join has a column of that name (t.id -> T_ID when both sides have ID, else ID).
            return naming.join() && ref.parts().size() >= 2
                    && clashing.contains(ref.last().toUpperCase(Locale.ROOT))
                    ? ref.parts().get(ref.parts().size() - 2).value().toUpperCase(Locale.ROOT) + "_" + ref.last()
                    : ref.last();
        }
        // ksqlDB names a struct field access after the field: SELECT address->town gives TOWN (TOWN_1
        // when the input has a column TOWN or an earlier access was named so)
        if (e instanceof Expression.JsonAccess access && !access.asText()
                && access.key() instanceof Expression.ColumnRef field && field.parts().size() == 1) {
            return fieldAliases.next(field.last());
        }
        if (e instanceof Expression.Dereference dereference) {
            return fieldAliases.next(dereference.field().value());
        }
        String name;
        do {
            name = "KSQL_COL_" + generated[0]++;
        } while (inputNames.contains(name));
        return name;
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 0; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = name + i;
        }
        return candidate;
    }

    Schema schema() {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            cols.add(new Column(names.get(i), expressions.get(i).type()));
        }
        return new Schema(cols);
    }

    /** The output scope; event time survives when the rowtime column is selected unchanged. */
    Scope scope(Scope input) {
        return scope(input, Optional.empty());
    }

    /**
     * The output scope. Event time survives when the rowtime column is selected unchanged, or when
     * {@code rowtimeExpression} (a window's window_time after a windowed GROUP BY) is selected.
     */
    Scope scope(Scope input, Optional<Expr> rowtimeExpression) {
        OptionalInt rowtime = OptionalInt.empty();
        for (int i = 0; i < expressions.size(); i++) {
            Expr e = expressions.get(i);
            boolean isRowtime = e instanceof Expr.InputRef ref && input.rowtimeColumn().isPresent()
                    && ref.index() == input.rowtimeColumn().getAsInt();
            if (isRowtime || rowtimeExpression.map(e::equals).orElse(false)) {
                rowtime = OptionalInt.of(i);
                break;
            }
        }
        return Scope.of(null, schema(), rowtime, input.watermarkDelayMs()).withWindowBounds(windowBounds(input));
    }

    /** Window bounds survive a projection that selects both bound columns unchanged (renamed or not). */
    private Optional<Scope.WindowBounds> windowBounds(Scope input) {
        if (input.windowBounds().isEmpty()) {
            return Optional.empty();
        }
        int start = selected(input.windowBounds().get().startColumn());
        int end = selected(input.windowBounds().get().endColumn());
        return start >= 0 && end >= 0 ? Optional.of(new Scope.WindowBounds(start, end)) : Optional.empty();
    }

    private int selected(int inputColumn) {
        for (int i = 0; i < expressions.size(); i++) {
            if (expressions.get(i) instanceof Expr.InputRef ref && ref.index() == inputColumn) {
                return i;
            }
        }
        return -1;
    }
}
