package dev.sluice.grammar;

import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.*;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.grammar.ast.QualifiedName;
import dev.sluice.grammar.ast.SortItem;
import dev.sluice.grammar.ast.TypeSpec;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints expressions and types back as SQL that parses to an equal AST. Operands that are not
 * atoms are wrapped in parentheses, so precedence never has to be reconstructed (parentheses leave
 * no trace in the AST).
 */
final class ExpressionFormatter {
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private final Function<dev.sluice.grammar.ast.Query, String> queryFormatter;

    ExpressionFormatter(Function<dev.sluice.grammar.ast.Query, String> queryFormatter) {
        this.queryFormatter = queryFormatter;
    }

    static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String identifier(Identifier identifier) {
        return identifier.quoted() ? quoted(identifier.value()) : identifier.value();
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String name(QualifiedName name) {
        return name.parts().stream().map(ExpressionFormatter::identifier).collect(Collectors.joining("."));
    }

    /** A path element or other bare string used as a name: quoted unless it is a plain, unreserved word. */
    static String bareName(String name) {
        return SIMPLE_NAME.matcher(name).matches() && !Keywords.isReserved(name) ? name : quoted(name);
    }

    String list(List<Expression> expressions) {
        return expressions.stream().map(this::format).collect(Collectors.joining(", "));
    }

    String sortItems(List<SortItem> items) {
        return items.stream().map(this::sortItem).collect(Collectors.joining(", "));
    }

    private String sortItem(SortItem item) {
        String text = format(item.key()) + (item.descending() ? " DESC" : " ASC");
        if (item.nullsFirst().isPresent()) {
            text += item.nullsFirst().get() ? " NULLS FIRST" : " NULLS LAST";
        }
        return text;
    }

    /** Atoms print without parentheses as an operand; everything else gets wrapped. */
    private static boolean atomic(Expression e) {
        return e instanceof StringLiteral || e instanceof NumericLiteral || e instanceof BooleanLiteral
                || e instanceof NullLiteral || e instanceof TypedLiteral || e instanceof ArrayConstructor
                || e instanceof StructConstructor || e instanceof MapConstructor
                || e instanceof Parameter || e instanceof ColumnRef || e instanceof Dereference
                || e instanceof Subscript || e instanceof VariantPath || e instanceof FunctionCall f && !distinctFrom(f)
                || e instanceof Case || e instanceof Extract || e instanceof ScalarSubquery
                || (e instanceof Cast c && !c.postfix());
    }

    String operand(Expression e) {
        return atomic(e) ? format(e) : "(" + format(e) + ")";
    }

    String format(Expression e) {
        if (e instanceof StringLiteral s) {
            return string(s.value());
        }
        if (e instanceof NumericLiteral n) {
            return n.text();
        }
        if (e instanceof BooleanLiteral b) {
            return b.value() ? "TRUE" : "FALSE";
        }
        if (e instanceof NullLiteral) {
            return "NULL";
        }
        if (e instanceof IntervalLiteral i) {
            return "INTERVAL " + (i.negative() ? "-" : "") + string(i.value())
                    + i.unit().map(u -> " " + u).orElse("") + i.toUnit().map(u -> " TO " + u).orElse("");
        }
        if (e instanceof TypedLiteral t) {
            return t.type() + " " + string(t.value());
        }
        if (e instanceof ArrayConstructor a) {
            return "[" + list(a.elements()) + "]";
        }
        if (e instanceof StructConstructor c) {
            List<String> entries = new java.util.ArrayList<>();
            for (int i = 0; i < c.names().size(); i++) {
                entries.add(identifier(c.names().get(i)) + " := " + format(c.values().get(i)));
            }
            return "STRUCT(" + String.join(", ", entries) + ")";
        }
        if (e instanceof MapConstructor m) {
            List<String> entries = new java.util.ArrayList<>();
            for (int i = 0; i < m.keys().size(); i++) {
                entries.add(format(m.keys().get(i)) + " := " + format(m.values().get(i)));
            }
            return "MAP(" + String.join(", ", entries) + ")";
        }
        if (e instanceof Parameter p) {
            return p.name().isEmpty() ? "?" : ":" + bareName(p.name());
        }
        if (e instanceof ColumnRef c) {
            return c.parts().stream().map(ExpressionFormatter::identifier).collect(Collectors.joining("."));
        }
        if (e instanceof Dereference d) {
            return "(" + format(d.base()) + ")." + identifier(d.field());
        }
        if (e instanceof Subscript s) {
            return operand(s.base()) + "[" + format(s.index()) + "]";
        }
        if (e instanceof JsonAccess j) {
            return operand(j.base()) + (j.asText() ? " ->> " : " -> ") + operand(j.key());
        }
        if (e instanceof VariantPath v) {
            String base = v.base() instanceof VariantPath ? "(" + format(v.base()) + ")" : operand(v.base());
            return base + v.path().stream().map(p -> ":" + bareName(p)).collect(Collectors.joining());
        }
        if (e instanceof Binary b) {
            return operand(b.left()) + " " + b.operator().symbol + " " + operand(b.right());
        }
        if (e instanceof Not n) {
            return "NOT " + operand(n.value());
        }
        if (e instanceof Negate n) {
            return "-" + operand(n.value());
        }
        if (e instanceof IsNull i) {
            return operand(i.value()) + (i.negated() ? " IS NOT NULL" : " IS NULL");
        }
        if (e instanceof IsBoolean i) {
            return operand(i.value()) + (i.negated() ? " IS NOT " : " IS ") + (i.expected() ? "TRUE" : "FALSE");
        }
        if (e instanceof Between b) {
            return operand(b.value()) + (b.negated() ? " NOT" : "") + " BETWEEN " + operand(b.low())
                    + " AND " + operand(b.high());
        }
        if (e instanceof InList i) {
            return operand(i.value()) + (i.negated() ? " NOT" : "") + " IN (" + list(i.list()) + ")";
        }
        if (e instanceof InSubquery i) {
            return operand(i.value()) + (i.negated() ? " NOT" : "") + " IN (" + queryFormatter.apply(i.query()) + ")";
        }
        if (e instanceof Exists x) {
            return (x.negated() ? "NOT " : "") + "EXISTS (" + queryFormatter.apply(x.query()) + ")";
        }
        if (e instanceof ScalarSubquery s) {
            return "(" + queryFormatter.apply(s.query()) + ")";
        }
        if (e instanceof Like l) {
            return operand(l.value()) + (l.negated() ? " NOT" : "") + (l.caseInsensitive() ? " ILIKE " : " LIKE ")
                    + operand(l.pattern()) + l.escape().map(x -> " ESCAPE " + operand(x)).orElse("");
        }
        if (e instanceof Case c) {
            StringBuilder text = new StringBuilder("CASE");
            c.operand().ifPresent(o -> text.append(' ').append(format(o)));
            for (WhenClause w : c.whens()) {
                text.append(" WHEN ").append(format(w.condition())).append(" THEN ").append(format(w.result()));
            }
            c.otherwise().ifPresent(o -> text.append(" ELSE ").append(format(o)));
            return text.append(" END").toString();
        }
        if (e instanceof Cast c) {
            if (c.postfix()) {
                return operand(c.value()) + "::" + type(c.type());
            }
            return (c.safe() ? "TRY_CAST(" : "CAST(") + format(c.value()) + " AS " + type(c.type()) + ")";
        }
        if (e instanceof Extract x) {
            return "EXTRACT(" + x.field() + " FROM " + operand(x.value()) + ")";
        }
        if (e instanceof FunctionCall f) {
            return functionCall(f);
        }
        if (e instanceof Expression.Lambda l) {
            String parameters = l.parameters().stream().map(ExpressionFormatter::identifier)
                    .collect(Collectors.joining(", "));
            return (l.parameters().size() == 1 ? parameters : "(" + parameters + ")") + " => " + format(l.body());
        }
        throw new IllegalArgumentException("cannot format " + e.getClass().getSimpleName());
    }

    /** {@code a IS [NOT] DISTINCT FROM b}, which the parser reads as a call of the operator of that name. */
    private static boolean distinctFrom(FunctionCall f) {
        String name = f.name().parts().get(f.name().parts().size() - 1).value();
        return f.arguments().size() == 2 && (name.equals("IS DISTINCT FROM") || name.equals("IS NOT DISTINCT FROM"));
    }

    private String functionCall(FunctionCall f) {
        if (distinctFrom(f)) {
            String name = f.name().parts().get(f.name().parts().size() - 1).value();
            return operand(f.arguments().get(0)) + " " + name + " " + operand(f.arguments().get(1));
        }
        StringBuilder text = new StringBuilder(name(f.name())).append('(');
        if (f.star()) {
            text.append('*');
        } else {
            if (f.distinct()) {
                text.append("DISTINCT ");
            }
            text.append(list(f.arguments()));
            if (!f.orderBy().isEmpty()) {
                text.append(" ORDER BY ").append(sortItems(f.orderBy()));
            }
        }
        text.append(')');
        if (!f.withinGroup().isEmpty()) {
            text.append(" WITHIN GROUP (ORDER BY ").append(sortItems(f.withinGroup())).append(')');
        }
        f.filter().ifPresent(x -> text.append(" FILTER (WHERE ").append(format(x)).append(')'));
        f.over().ifPresent(o -> text.append(" OVER (").append(over(o)).append(')'));
        return text.toString();
    }

    private String over(Over over) {
        StringBuilder text = new StringBuilder();
        if (!over.partitionBy().isEmpty()) {
            text.append("PARTITION BY ").append(list(over.partitionBy()));
        }
        if (!over.orderBy().isEmpty()) {
            text.append(text.length() > 0 ? " " : "").append("ORDER BY ").append(sortItems(over.orderBy()));
        }
        over.frame().ifPresent(f -> {
            text.append(text.length() > 0 ? " " : "").append(f.unit());
            if (f.end().isPresent()) {
                text.append(" BETWEEN ").append(bound(f.start())).append(" AND ").append(bound(f.end().get()));
            } else {
                text.append(' ').append(bound(f.start()));
            }
        });
        return text.toString();
    }

    private String bound(FrameBound bound) {
        return switch (bound.kind()) {
            case "UNBOUNDED_PRECEDING" -> "UNBOUNDED PRECEDING";
            case "UNBOUNDED_FOLLOWING" -> "UNBOUNDED FOLLOWING";
            case "CURRENT_ROW" -> "CURRENT ROW";
            default -> operand(bound.offset().orElseThrow()) + " " + bound.kind();
        };
    }

    static String type(TypeSpec type) {
        if (type instanceof TypeSpec.Array a) {
            return "ARRAY<" + type(a.element()) + ">";
        }
        if (type instanceof TypeSpec.Map m) {
            return "MAP<" + type(m.key()) + ", " + type(m.value()) + ">";
        }
        if (type instanceof TypeSpec.Struct s) {
            return "STRUCT<" + s.fields().stream().map(f -> identifier(f.name()) + " " + type(f.type()))
                    .collect(Collectors.joining(", ")) + ">";
        }
        TypeSpec.Named n = (TypeSpec.Named) type;
        String parameters = n.parameters().isEmpty() ? ""
                : "(" + n.parameters().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        if (n.name().startsWith("TIMESTAMP ")) {
            return "TIMESTAMP" + parameters + n.name().substring("TIMESTAMP".length());
        }
        return bareTypeName(n.name()) + parameters;
    }

    private static String bareTypeName(String name) {
        return SIMPLE_NAME.matcher(name).matches() ? name : quoted(name);
    }
}
