package dev.sluice.compiler;

import dev.sluice.compiler.analyzer.KsqlText;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.Property;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.SelectItem;
import dev.sluice.grammar.ast.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A CREATE … AS SELECT written back as ksqlDB writes a statement in the errors it raises while
 * building a query ({@code KsqlStatementException}'s {@code Statement: …}): columns qualified with
 * their source, each SELECT item with its alias ({@code KSQL_COL_n} for an unnamed expression), one
 * clause a line, {@code EMIT CHANGES} last. Only a query over one named source is written; others
 * give nothing (the message then ends with ksqlDB's reason).
 */
final class KsqlStatementText {
    private KsqlStatementText() {
    }

    static Optional<String> of(Statement.CreateAsSelect create) {
        if (!(create.query().body() instanceof QueryBody.Select select)
                || !(select.from().orElse(null) instanceof Relation.Table table)
                || select.window().isPresent() || select.distinct() || select.qualify().isPresent()) {
            return Optional.empty();
        }
        String source = name(table.name().parts().get(table.name().parts().size() - 1));
        String alias = table.alias().map(KsqlStatementText::name).orElse(source);
        java.util.function.Function<Expression.ColumnRef, String> columns = c -> {
            String column = name(c.parts().get(c.parts().size() - 1));
            return (c.parts().size() > 1 ? name(c.parts().get(c.parts().size() - 2)) : alias) + "." + column;
        };
        List<String> items = new ArrayList<>();
        int generated = 0;
        for (SelectItem item : select.items()) {
            if (!(item instanceof SelectItem.SingleColumn column)) {
                return Optional.empty();
            }
            String as;
            if (column.alias().isPresent()) {
                as = name(column.alias().get());
            } else if (column.expression() instanceof Expression.ColumnRef ref) {
                as = name(ref.parts().get(ref.parts().size() - 1));
            } else {
                as = "KSQL_COL_" + generated++;
            }
            items.add("  " + expression(column.expression(), columns) + " " + as);
        }
        StringBuilder text = new StringBuilder("CREATE ").append(create.kind().name()).append(' ')
                .append(name(create.name().parts().get(create.name().parts().size() - 1)));
        if (!create.properties().isEmpty()) {
            text.append(" WITH (").append(create.properties().stream().map(KsqlStatementText::property)
                    .collect(Collectors.joining(", "))).append(')');
        }
        text.append(" AS SELECT\n").append(String.join(",\n", items)).append("\nFROM ").append(source).append(' ')
                .append(alias);
        select.where().ifPresent(w -> text.append("\nWHERE ").append(expression(w, columns)));
        if (!select.groupBy().isEmpty()) {
            text.append("\nGROUP BY ").append(select.groupBy().stream().map(e -> expression(e, columns))
                    .collect(Collectors.joining(", ")));
        }
        if (!select.partitionBy().isEmpty()) {
            text.append("\nPARTITION BY ").append(select.partitionBy().stream().map(e -> expression(e, columns))
                    .collect(Collectors.joining(", ")));
        }
        select.having().ifPresent(h -> text.append("\nHAVING ").append(expression(h, columns)));
        return Optional.of(text.append("\nEMIT CHANGES").toString());
    }

    private static String expression(Expression e, java.util.function.Function<Expression.ColumnRef, String> columns) {
        if (e instanceof Expression.FunctionCall f && f.star()) {
            return f.simpleName().toUpperCase(Locale.ROOT) + "(*)";
        }
        return KsqlText.expression(e, columns);
    }

    private static String property(Property p) {
        String value = SourceDeclarations.value(p.value());
        boolean text = p.value() instanceof Expression.StringLiteral;
        return p.key().toUpperCase(Locale.ROOT) + "=" + (text ? "'" + value.replace("'", "''") + "'" : value);
    }

    private static String name(Identifier id) {
        return id.quoted() ? id.value() : id.value().toUpperCase(Locale.ROOT);
    }
}
