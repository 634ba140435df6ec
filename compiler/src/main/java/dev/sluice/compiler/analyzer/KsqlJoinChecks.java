package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.TypeSpec;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The joins ksqlDB refuses, refused in ksqlDB's dialect with ksqlDB's words (its Analyzer,
 * JoinTree and LogicalPlanner): self joins, ON with several conditions, a side of ON that names no
 * source or the same source as the other, an ON that does not name the source joined, a table
 * joined with a stream, keys of different types in a table-table join, a foreign-key RIGHT JOIN.
 * Sluice itself could plan some of these; a ksqlDB script gets ksqlDB's answer.
 */
final class KsqlJoinChecks {
    private KsqlJoinChecks() {
    }

    /** Checks of the ON clause, before the join is planned; {@code left}/{@code right} the inputs' scopes. */
    /**
     * ksqlDB's AST builder checks every qualifier against the statement's sources before any name is
     * resolved, so an unknown one is reported even where another name of the condition is ambiguous.
     */
    private static void unknownQualifiers(Expression on, Scope joined) {
        AstWalker.walk(on, n -> true, n -> {
            if (n instanceof Expression.ColumnRef ref && ref.parts().size() > 1
                    && !joined.hasRelation(ref.parts().get(0).value())
                    && joined.matches(java.util.Optional.empty(), ref.parts().get(0)).isEmpty()) {
                throw KsqlWords.unknownRelation(ref.parts().get(0), null);
            }
        });
    }

    static void condition(Relation.Join join, Scope left, Scope right) {
        if (join.condition().isEmpty()) {
            return;
        }
        if (join.left() instanceof Relation.Table l && join.right() instanceof Relation.Table r
                && l.name().toString().equalsIgnoreCase(r.name().toString())) {
            String name = r.name().simpleName().toUpperCase(Locale.ROOT);
            throw new SqlException(join.location(), "Can not join '" + name + "' to '" + name + "': self joins are not "
                    + "yet supported.", "read the source through a second stream or table declared on its topic");
        }
        Expression on = join.condition().get();
        Scope joined = left.concat(right);
        unknownQualifiers(on, joined);
        if (on instanceof Expression.Binary b && b.operator() == Expression.BinaryOperator.AND) {
            throw new SqlException(on.location(), "Invalid join condition: joins on multiple conditions are not yet "
                    + "supported. Got " + text(on, joined) + ".", "join on one equality; filter the rest in WHERE");
        }
        if (!(on instanceof Expression.Binary b) || b.operator() != Expression.BinaryOperator.EQ) {
            return;
        }
        Set<String> l = relations(b.left(), joined);
        Set<String> r = relations(b.right(), joined);
        for (Expression side : List.of(b.left(), b.right())) {
            // a side naming a column that does not resolve is the analyzer's to report (unknown column)
            if (relations(side, joined).isEmpty()
                    && !AstWalker.anyMatch(side, n -> n instanceof Expression.ColumnRef)) {
                throw new SqlException(side.location(), "Invalid comparison expression '" + text(side, joined)
                        + "' in join '" + text(on, joined) + "'. Each side of the join comparision must contain "
                        + "references from exactly one source.", "compare a column of each side: a.id = b.id");
            }
        }
        if (l.size() == 1 && l.equals(r)) {
            throw new SqlException(on.location(), "Each side of the join must reference exactly one source and not the "
                    + "same source. Left side references `" + l.iterator().next() + "` and right references `"
                    + r.iterator().next() + "`", "compare a column of each side");
        }
        Set<String> rightRelations = right.columns().stream().map(c -> c.relation().orElse("").toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        if (join.right() instanceof Relation.Table && l.size() == 1 && r.size() == 1
                && rightRelations.stream().noneMatch(x -> l.contains(x) || r.contains(x))) {
            throw new SqlException(on.location(), "A join criteria is expected to reference the source (`"
                    + rightRelations.iterator().next() + "`) in the FROM clause, instead the right source references `"
                    + r.iterator().next() + "` and the left source references `" + l.iterator().next() + "`",
                    "compare a column of the source joined here");
        }
    }

    /** ksqlDB's words for a table joined with a stream (ksqlDB joins a stream with a table only). */
    static Optional<SqlException> tableStream(Relation.Join join, Scope left, Scope right) {
        return sourceNames(join, left, right).map(n -> new SqlException(join.location(), "Invalid join order: "
                + "table-stream joins are not supported; only stream-table joins. Got " + n.get(0) + " "
                + typeText(join.type()) + " " + n.get(1) + ".", "put the stream first"));
    }

    /** ksqlDB's words for a stream FULL JOIN a table. */
    static Optional<SqlException> streamTableFull(Relation.Join join, Scope left, Scope right) {
        return sourceNames(join, left, right).map(n -> new SqlException(join.location(), "Invalid join type: "
                + "full-outer join not supported for stream-table join. Got " + n.get(0) + " "
                + typeText(join.type()) + " " + n.get(1) + ".", "use LEFT JOIN"));
    }

    /** Table-table keys compared as they are: ksqlDB refuses keys of two types. */
    static void keyTypes(Relation.Join join, Scope left, Scope right,
                         dev.sluice.runtime.function.FunctionCatalog functions) {
        if (!(join.condition().orElse(null) instanceof Expression.Binary b)
                || b.operator() != Expression.BinaryOperator.EQ) {
            return;
        }
        Scope joined = left.concat(right);
        ExpressionAnalyzer analyzer = new ExpressionAnalyzer(joined, functions, "ON");
        SqlType first = analyzer.analyze(b.left()).type();
        SqlType second = analyzer.analyze(b.right()).type();
        if (!first.equals(second)) {
            throw new SqlException(b.location(), "Invalid join condition: types don't match. Got "
                    + text(b.left(), joined) + "{" + typeName(first) + "} = " + text(b.right(), joined) + "{"
                    + typeName(second) + "}.", "CAST one side to the other's type");
        }
    }

    private static void collectAliases(Relation r, Set<String> out) {
        if (r instanceof Relation.Join j) {
            collectAliases(j.left(), out);
            collectAliases(j.right(), out);
        } else if (r instanceof Relation.Table t) {
            out.add(t.alias().map(a -> a.value()).orElse(t.name().simpleName()).toUpperCase(Locale.ROOT));
        }
    }

    /** The two sources ON compares, by name (not alias), as ksqlDB names them; empty when not plain. */
    private static Optional<List<String>> sourceNames(Relation.Join join, Scope left, Scope right) {
        if (!(join.condition().orElse(null) instanceof Expression.Binary b)) {
            return Optional.empty();
        }
        Scope joined = left.concat(right);
        Set<String> l = relations(b.left(), joined);
        Set<String> r = relations(b.right(), joined);
        if (l.size() != 1 || r.size() != 1) {
            return Optional.empty();
        }
        Set<String> rightAliases = new LinkedHashSet<>();
        collectAliases(join.right(), rightAliases);
        String leftAlias = rightAliases.contains(l.iterator().next()) ? r.iterator().next() : l.iterator().next();
        String rightAlias = rightAliases.contains(l.iterator().next()) ? l.iterator().next() : r.iterator().next();
        return Optional.of(List.of(sourceName(join, leftAlias), sourceName(join, rightAlias)));
    }

    private static String sourceName(Relation r, String alias) {
        if (r instanceof Relation.Join j) {
            String left = sourceName(j.left(), alias);
            return left != null ? left : sourceName(j.right(), alias);
        }
        if (r instanceof Relation.Table t && t.alias().map(a -> a.value()).orElse(t.name().simpleName())
                .equalsIgnoreCase(alias)) {
            return t.name().simpleName().toUpperCase(Locale.ROOT);
        }
        return r instanceof Relation.Table ? null : alias;
    }

    private static String typeText(Relation.JoinType type) {
        return switch (type) {
            case LEFT -> "LEFT [OUTER] JOIN";
            case RIGHT -> "RIGHT [OUTER] JOIN";
            case FULL -> "[FULL] OUTER JOIN";
            default -> "[INNER] JOIN";
        };
    }

    /** ksqlDB's name of a type in its messages. */
    static String typeName(SqlType type) {
        if (type == ScalarType.VARCHAR) {
            return "STRING";
        }
        return type.sql();
    }

    /** The relations (upper-case aliases) an expression's columns belong to. */
    private static Set<String> relations(Expression e, Scope joined) {
        Set<String> out = new LinkedHashSet<>();
        dev.sluice.compiler.analyzer.AstWalker.walk(e, n -> true, n -> {
            if (n instanceof Expression.ColumnRef ref && ref.parts().size() <= 2) {
                column(ref, joined).ifPresent(c -> out.add(c.relation().orElse("").toUpperCase(Locale.ROOT)));
            }
        });
        return out;
    }

    private static Optional<ScopeColumn> column(Expression.ColumnRef ref, Scope joined) {
        Optional<String> relation = ref.parts().size() == 2 ? Optional.of(ref.parts().get(0).value()) : Optional.empty();
        try {
            return joined.find(relation, ref.parts().get(ref.parts().size() - 1));
        } catch (SqlException ambiguous) {
            return Optional.empty();
        }
    }

    /** An expression as ksqlDB prints it: qualified upper-case columns, binary operations in parentheses. */
    static String text(Expression e, Scope joined) {
        if (e instanceof Expression.ColumnRef ref) {
            return column(ref, joined).map(c -> c.relation().orElse("").toUpperCase(Locale.ROOT) + "." + c.name())
                    .orElse(ref.parts().stream().map(p -> p.value()).collect(Collectors.joining(".")));
        }
        if (e instanceof Expression.NumericLiteral n) {
            return n.text();
        }
        if (e instanceof Expression.StringLiteral s) {
            return "'" + s.value() + "'";
        }
        if (e instanceof Expression.NullLiteral) {
            return "null";
        }
        if (e instanceof Expression.Binary b) {
            return "(" + text(b.left(), joined) + " " + b.operator().symbol + " " + text(b.right(), joined) + ")";
        }
        if (e instanceof Expression.Cast c && c.type() instanceof TypeSpec.Named t) {
            String type = t.name().equalsIgnoreCase("VARCHAR") ? "STRING" : t.name().toUpperCase(Locale.ROOT);
            return "CAST(" + text(c.value(), joined) + " AS " + type + ")";
        }
        return e.toString();
    }
}
