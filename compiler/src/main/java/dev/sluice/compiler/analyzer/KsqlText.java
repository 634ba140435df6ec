package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlFormatter;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Types and expressions spelled as ksqlDB spells them in its error messages, so that a ksqlDB user
 * reads the words their engine would have used: {@code STRING} for text, struct fields in back-quotes
 * ({@code STRUCT<`F0` INTEGER>}), binary operations in parentheses ({@code (F1 - F2)}), function names
 * in upper case, {@code COUNT(*)} as {@code COUNT()}.
 */
public final class KsqlText {
    private KsqlText() {
    }

    /** ksqlDB's name of a type ({@code SqlType.toString()} in ksqlDB). */
    public static String type(SqlType type) {
        if (type instanceof ArrayType a) {
            return "ARRAY<" + type(a.element()) + ">";
        }
        if (type instanceof MapType m) {
            return "MAP<" + type(m.key()) + ", " + type(m.value()) + ">";
        }
        if (type instanceof StructType s) {
            return s.fields().stream().map(f -> "`" + f.name() + "` " + type(f.type()))
                    .collect(Collectors.joining(", ", "STRUCT<", ">"));
        }
        if (type instanceof DecimalType d) {
            return "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
        }
        return switch ((ScalarType) type) {
            case VARCHAR -> "STRING";
            case TIMESTAMP, TIMESTAMP_LTZ -> "TIMESTAMP";
            case NULL -> "null";
            default -> ((ScalarType) type).sql();
        };
    }

    /** Whether the type is a MAP or holds one (ksqlDB refuses such keys: their serialized form is not stable). */
    public static boolean containsMap(SqlType type) {
        if (type instanceof MapType) {
            return true;
        }
        if (type instanceof ArrayType a) {
            return containsMap(a.element());
        }
        return type instanceof StructType s && s.fields().stream().anyMatch(f -> containsMap(f.type()));
    }

    /** ksqlDB's text of an expression ({@code ExpressionFormatter} in ksqlDB), for its messages. */
    public static String expression(Expression e) {
        return expression(e, c -> c.parts().stream().map(Identifier::value).collect(Collectors.joining(".")));
    }

    /** The same text, with every column's qualifier left out when {@code qualified} is false. */
    public static String expression(Expression e, boolean qualified) {
        return qualified ? expression(e) : expression(e, Expression.ColumnRef::last);
    }

    /** The same text, each column written by {@code columns} (ksqlDB qualifies them with their source). */
    public static String expression(Expression e, java.util.function.Function<Expression.ColumnRef, String> columns) {
        if (e instanceof Expression.ColumnRef c) {
            return columns.apply(c);
        }
        if (e instanceof Expression.StringLiteral s) {
            return "'" + s.value().replace("'", "''") + "'";
        }
        if (e instanceof Expression.NullLiteral) {
            return "null";
        }
        if (e instanceof Expression.BooleanLiteral b) {
            return b.value() ? "true" : "false";
        }
        if (e instanceof Expression.Binary b) {
            String op = b.operator() == Expression.BinaryOperator.CONCAT ? "||" : b.operator().symbol;
            return "(" + expression(b.left(), columns) + " " + op + " " + expression(b.right(), columns) + ")";
        }
        if (e instanceof Expression.FunctionCall f && f.over().isEmpty() && f.filter().isEmpty()) {
            return f.simpleName().toUpperCase(Locale.ROOT) + "(" + (f.distinct() ? "DISTINCT " : "")
                    + f.arguments().stream().map(a -> expression(a, columns)).collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof Expression.Dereference d) {
            return expression(d.base(), columns) + "->" + d.field().value();
        }
        if (e instanceof Expression.JsonAccess j && !j.asText()) {
            return expression(j.base(), columns) + "->" + expression(j.key(), columns);
        }
        if (e instanceof Expression.ArrayConstructor a) {
            return a.elements().stream().map(x -> expression(x, columns)).collect(Collectors.joining(", ", "ARRAY[", "]"));
        }
        if (e instanceof Expression.MapConstructor m) {
            java.util.List<String> entries = new java.util.ArrayList<>();
            for (int i = 0; i < m.keys().size(); i++) {
                entries.add(expression(m.keys().get(i), columns) + ":=" + expression(m.values().get(i), columns));
            }
            return "MAP(" + String.join(", ", entries) + ")";
        }
        if (e instanceof Expression.StructConstructor s) {
            java.util.List<String> fields = new java.util.ArrayList<>();
            for (int i = 0; i < s.names().size(); i++) {
                fields.add(s.names().get(i).value() + ":=" + expression(s.values().get(i), columns));
            }
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        if (e instanceof Expression.Cast c && !c.safe()) {
            return "CAST(" + expression(c.value(), columns) + " AS " + type(TypeResolver.resolve(c.type())) + ")";
        }
        return SqlFormatter.format(e);
    }

    /** ksqlDB's name of a comparison ({@code ComparisonExpression.Type}), as its type errors print it. */
    public static String comparison(Expression.BinaryOperator op) {
        return switch (op) {
            case EQ -> "EQUAL";
            case NE -> "NOT_EQUAL";
            case LT -> "LESS_THAN";
            case LE -> "LESS_THAN_OR_EQUAL";
            case GT -> "GREATER_THAN";
            case GE -> "GREATER_THAN_OR_EQUAL";
            default -> op.name();
        };
    }
}
