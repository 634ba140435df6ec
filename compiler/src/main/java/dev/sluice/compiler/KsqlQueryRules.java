package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.compiler.catalog.Catalog;
import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Persistent queries ksqlDB refuses for what they ask of its engine (its {@code Analyzer},
 * {@code GroupBy} and {@code PartitionByParamsFactory}), checked in the ksqlDB dialect before
 * planning: EMIT FINAL without a window, the KAFKA value format under GROUP BY or a join, a GROUP BY
 * expression given twice, PARTITION BY NULL beside other expressions or beside a key format, and a
 * PARTITION BY expression the SELECT leaves out (ksqlDB writes it to the record key).
 */
final class KsqlQueryRules {
    private KsqlQueryRules() {
    }

    /**
     * Checks {@code query} before it is planned; {@code properties} are a CREATE … AS SELECT's
     * WITH options (none for INSERT INTO).
     */
    static void check(Query query, List<Property> properties, Catalog catalog,
                      dev.sluice.runtime.function.FunctionCatalog functions, boolean createsTable) {
        if (!(query.body() instanceof QueryBody.Select select)) {
            return;
        }
        List<Expression.FunctionCall> aggregates = new ArrayList<>();
        dev.sluice.compiler.analyzer.AstWalker.walk(select.items(), n -> !(n instanceof Query), n -> {
            if (n instanceof Expression.FunctionCall f && f.over().isEmpty()
                    && functions.aggregate(f.simpleName().toUpperCase(Locale.ROOT)).isPresent()) {
                aggregates.add(f);
            }
        });
        if (select.groupBy().isEmpty() && select.window().isPresent() && aggregates.isEmpty()) {
            throw new SqlException(select.window().get().location(), "WINDOW clause requires a GROUP BY clause.",
                    "a window groups rows by key and time; add GROUP BY and an aggregate");
        }
        if (query.emit().map(e -> e.kind() == Emit.Kind.FINAL).orElse(false) && select.window().isEmpty()) {
            throw new SqlException(query.emit().get().location(), "EMIT FINAL is only supported for windowed "
                    + "aggregations.", "EMIT FINAL waits for a window to close; a non-windowed query has none: "
                    + "use EMIT CHANGES");
        }
        Map<String, SourceDefinition> relations = new LinkedHashMap<>();
        boolean join = select.from().map(f -> f instanceof Relation.Join).orElse(false);
        select.from().ifPresent(f -> relations(f, catalog, relations));
        kafkaValueFormat(select, join, relations);
        Optional<String> qualifier = !join && relations.size() == 1 ? relations.keySet().stream().findFirst()
                : Optional.empty();
        // ksqlDB's AggregateAnalyzer speaks first of a column outside the aggregates (Non-aggregate SELECT …)
        boolean looseColumns = select.items().stream().anyMatch(i -> !(i instanceof SelectItem.SingleColumn c)
                || hasColumnOutside(c.expression(), aggregates));
        if (createsTable && select.groupBy().isEmpty() && !aggregates.isEmpty() && !looseColumns) {
            // ksqlDB's AggregateNode: a table needs a key, and an aggregate over all rows has none
            List<String> calls = aggregates.stream().map(f -> f.star() || f.arguments().isEmpty()
                    ? f.simpleName().toUpperCase(Locale.ROOT) + "(ROWTIME)" : text(f, qualifier)).toList();
            throw new SqlException(aggregates.get(0).location(), "CREATE TABLE AS SELECT statement does not support "
                    + "aggregate function " + calls + " without a GROUP BY clause.",
                    "a table's rows are keyed by the GROUP BY expressions; group by a column");
        }
        duplicateGroupBy(select, qualifier);
        if (!join && relations.size() == 1) {
            starOutsideGroupBy(select, relations.values().iterator().next());
        }
        if (!select.partitionBy().isEmpty()) {
            partitionByNull(select, properties);
        }
    }

    /**
     * After the query is planned (its names resolved): a CREATE … AS SELECT's PARTITION BY expressions
     * must be selected, since ksqlDB writes them to the record key.
     */
    static void partitionKeysProjected(Query query, String sink, Catalog catalog) {
        if (!(query.body() instanceof QueryBody.Select select) || select.partitionBy().isEmpty()
                || select.partitionBy().stream().anyMatch(e -> e instanceof Expression.NullLiteral)
                || select.items().stream().anyMatch(i -> !(i instanceof SelectItem.SingleColumn))) {
            return; // SELECT * keeps the new key columns itself
        }
        Map<String, SourceDefinition> relations = new LinkedHashMap<>();
        boolean join = select.from().map(f -> f instanceof Relation.Join).orElse(false);
        select.from().ifPresent(f -> relations(f, catalog, relations));
        Optional<String> qualifier = !join && relations.size() == 1 ? relations.keySet().stream().findFirst()
                : Optional.empty();
        List<String> projected = select.items().stream().map(i -> text(((SelectItem.SingleColumn) i).expression(),
                qualifier)).toList();
        List<String> missing = select.partitionBy().stream().map(k -> text(k, qualifier))
                .filter(k -> !projected.contains(k)).toList();
        if (missing.isEmpty()) {
            return;
        }
        // ksqlDB names every partitioning expression, the selected ones too: all of them make the key
        List<String> all = select.partitionBy().stream().map(k -> text(k, qualifier)).toList();
        String list = all.size() == 1 ? all.get(0)
                : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
        throw new SqlException(select.location(), "The query used to build `" + sink + "` must include the "
                + (all.size() == 1 ? "partitioning expression " : "partitioning expressions ") + list
                + " in its projection (eg, SELECT " + String.join(", ", all) + "...).",
                "ksqlDB writes the PARTITION BY expressions to the record key; select them");
    }

    /**
     * ksqlDB expands {@code *} before its AggregateAnalyzer looks at the SELECT: beside a GROUP BY,
     * each of the source's columns the grouping does not name is a non-aggregate SELECT expression.
     */
    private static void starOutsideGroupBy(QueryBody.Select select, SourceDefinition source) {
        Optional<SelectItem> star = select.items().stream().filter(i -> i instanceof SelectItem.AllColumns).findFirst();
        if (select.groupBy().isEmpty() || star.isEmpty()) {
            return;
        }
        java.util.Set<String> grouped = new java.util.HashSet<>();
        select.groupBy().forEach(g -> {
            if (g instanceof Expression.ColumnRef ref) {
                grouped.add(ref.last().toUpperCase(Locale.ROOT));
            }
        });
        List<String> loose = source.schema().columns().stream().map(c -> c.name().toUpperCase(Locale.ROOT))
                .filter(c -> !grouped.contains(c)).toList();
        if (!loose.isEmpty()) {
            throw new SqlException(star.get().location(), "Non-aggregate SELECT expression(s) not part of GROUP BY: "
                    + String.join(", ", loose) + "\nEither add the column(s) to the GROUP BY or remove them from "
                    + "the SELECT.", "* selects every column; group by them all, or select the grouped ones");
        }
    }

    /** Whether {@code e} reads a column other than inside one of {@code aggregates}. */
    private static boolean hasColumnOutside(Expression e, List<Expression.FunctionCall> aggregates) {
        boolean[] found = {false};
        dev.sluice.compiler.analyzer.AstWalker.walk(e, n -> aggregates.stream().noneMatch(a -> a == n), n -> {
            if (n instanceof Expression.ColumnRef) {
                found[0] = true;
            }
        });
        return found[0];
    }

    /** Each FROM relation that names a declared source, by the name ksqlDB gives it (its alias). */
    private static void relations(Relation relation, Catalog catalog, Map<String, SourceDefinition> into) {
        if (relation instanceof Relation.Join j) {
            relations(j.left(), catalog, into);
            relations(j.right(), catalog, into);
            j.condition().ifPresent(KsqlQueryRules::sidesOfOneSource);
        } else if (relation instanceof Relation.Table t) {
            String name = t.alias().map(KsqlQueryRules::upper).orElse(upper(t.name().parts().get(t.name().parts().size() - 1)));
            if (into.containsKey(name)) {
                // ksqlDB's JoinTree: two sources of one name could not be told apart in the ON and SELECT
                throw new SqlException(t.location(), "N-way joins do not support multiple occurrences of the same "
                        + "source. Source: '" + name + "'", "give the second occurrence an alias (JOIN " + name
                        + " AS " + name + "_2)");
            }
            catalog.lookup(t.name().toString()).ifPresent(source -> into.put(name, source));
        }
    }

    /** ksqlDB's {@code JoinTree}: each side of an equality of the ON names one source, not the same one. */
    private static void sidesOfOneSource(Expression condition) {
        if (condition instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.AND) {
            sidesOfOneSource(b.left());
            sidesOfOneSource(b.right());
        } else if (condition instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.EQ
                && b.left() instanceof Expression.ColumnRef l && b.right() instanceof Expression.ColumnRef r
                && l.parts().size() == 2 && r.parts().size() == 2 && upper(l.parts().get(0)).equals(upper(r.parts().get(0)))) {
            String source = upper(l.parts().get(0));
            throw new SqlException(b.location(), "Each side of the join must reference exactly one source and not the "
                    + "same source. Left side references `" + source + "` and right references `" + source + "`",
                    "compare a column of " + source + " with a column of the source it is joined to");
        }
    }

    private static String upper(Identifier id) {
        return id.quoted() ? id.value() : id.value().toUpperCase(Locale.ROOT);
    }

    /** ksqlDB's {@code Analyzer.validate}: the KAFKA value format cannot go through a repartition or changelog. */
    private static void kafkaValueFormat(QueryBody.Select select, boolean join, Map<String, SourceDefinition> relations) {
        List<String> kafka = relations.entrySet().stream().filter(e -> "kafka".equals(dev.sluice.serdes.format.Formats
                .valueFormatName(new dev.sluice.serdes.format.FormatOptions("", e.getValue().format().properties()))))
                .map(Map.Entry::getKey).toList();
        if (kafka.isEmpty() || !join && select.groupBy().isEmpty()) {
            return;
        }
        throw new SqlException(select.location(), "Source(s) " + String.join(", ", kafka) + " are using the 'KAFKA' "
                + "value format. This format does not yet support " + (join ? "JOIN." : "GROUP BY."),
                "the KAFKA format is meant for keys; declare the value with JSON, AVRO or DELIMITED");
    }

    /** ksqlDB's {@code GroupBy}: the same expression twice, once its columns are qualified. */
    private static void duplicateGroupBy(QueryBody.Select select, Optional<String> qualifier) {
        List<String> seen = new ArrayList<>();
        for (Expression e : select.groupBy()) {
            String text = text(e, qualifier);
            if (seen.contains(text)) {
                throw new SqlException(e.location(), "Duplicate GROUP BY expression: " + text,
                        "group by each expression once");
            }
            seen.add(text);
        }
    }

    /** ksqlDB's {@code PartitionByParamsFactory} and {@code Analyzer}: PARTITION BY NULL leaves no key. */
    private static void partitionByNull(QueryBody.Select select, List<Property> properties) {
        List<Expression> keys = select.partitionBy();
        boolean anyNull = keys.stream().anyMatch(e -> e instanceof Expression.NullLiteral);
        if (anyNull && keys.size() > 1) {
            throw new SqlException(keys.get(0).location(), "Cannot PARTITION BY multiple columns including NULL",
                    "PARTITION BY NULL leaves the key empty; partition by NULL alone or by columns alone");
        }
        if (anyNull) {
            Optional<String> keyFormat = properties.stream().filter(p -> p.key().equalsIgnoreCase("key_format")
                    || p.key().equalsIgnoreCase("format")).map(p -> SourceDeclarations.value(p.value())).findFirst();
            if (keyFormat.isPresent() && !keyFormat.get().equalsIgnoreCase("none")) {
                throw new SqlException(keys.get(0).location(), "Key format specified for stream without key columns.",
                        "PARTITION BY NULL writes no key; leave KEY_FORMAT out");
            }
        }
    }

    /** ksqlDB's text of an expression after its columns are qualified with their source. */
    private static String text(Expression e, Optional<String> qualifier) {
        return KsqlText.expression(e, c -> {
            String column = upper(c.parts().get(c.parts().size() - 1));
            if (c.parts().size() > 1) {
                return upper(c.parts().get(c.parts().size() - 2)) + "." + column;
            }
            if (KsqlChecks.SYSTEM_COLUMNS.contains(column)) {
                return column;
            }
            return qualifier.map(q -> q + "." + column).orElse(column);
        });
    }
}
