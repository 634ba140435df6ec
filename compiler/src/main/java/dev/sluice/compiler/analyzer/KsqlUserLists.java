package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.scalar.TypeRules;
import dev.sluice.serdes.row.ArrayType;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.MapType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;
import dev.sluice.serdes.row.StructType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ksqlDB's typing of a list the user writes out: the operands of {@code x IN (a, b, ...)} (with
 * {@code x} first), the elements of {@code ARRAY[...]}, the keys or the values of {@code MAP(...)}.
 * Used in the ksqlDB dialect only (Flink's rules stay with {@link ExpressionAnalyzer#commonType}).
 *
 * <p>The items are read in order and the first typed one leads: a text literal beside a number must
 * read as a number (the type widens to hold it: {@code '2e1'} beside an INTEGER makes a DECIMAL), text
 * beside a BOOLEAN must read as one ({@code 'y'}, {@code 'TrUe'}); any other literal may become text
 * beside text; an expression only widens (INTEGER to BIGINT to DECIMAL to DOUBLE); a STRUCT takes the
 * union of the fields by name; an ARRAY, MAP or STRUCT constructor is typed element by element
 * against the leading type, so its literals follow the same rules. Literals are then rewritten in the
 * common type and every other item that differs is CAST to it (a STRUCT by field name).
 */
final class KsqlUserLists {
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** One item: its text (to tell literals and constructors) and its analyzed form. */
    record Item(Expression ast, Expr expr) {
        SqlType type() {
            return expr.type();
        }
    }

    static List<Item> items(List<Expression> asts, List<Expr> exprs) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < asts.size(); i++) {
            items.add(new Item(asts.get(i), exprs.get(i)));
        }
        return items;
    }

    private final ExpressionAnalyzer analyzer;
    /** Put before every message ({@code "Invalid Predicate: "} for IN, as ksqlDB's InPredicate does). */
    private final String prefix;

    KsqlUserLists(ExpressionAnalyzer analyzer, String prefix) {
        this.analyzer = analyzer;
        this.prefix = prefix;
    }

    /** The items' common type; empty when every item is a NULL literal. */
    Optional<SqlType> commonType(List<Item> items) {
        Optional<SqlType> common = Optional.empty();
        for (Item item : items) {
            common = step(item, common);
        }
        return common;
    }

    /** The items, each in {@code common}: literals rewritten, other items CAST. */
    static List<Expr> convert(List<Item> items, SqlType common) {
        List<Expr> out = new ArrayList<>();
        for (Item item : items) {
            out.add(convert(item, common));
        }
        return out;
    }

    private Optional<SqlType> step(Item item, Optional<SqlType> common) {
        if (common.isEmpty()) {
            return item.type() == ScalarType.NULL ? Optional.empty() : Optional.of(item.type());
        }
        if (item.type() == ScalarType.NULL) {
            return common;
        }
        SqlType target = common.get();
        Expression ast = item.ast();
        if (ast instanceof Expression.ArrayConstructor a) {
            if (!(target instanceof ArrayType array)) {
                throw mismatch(item, target);
            }
            return Optional.of(new ArrayType(nested(item, target, array.element(), a.elements())));
        }
        if (ast instanceof Expression.MapConstructor m) {
            if (!(target instanceof MapType map)) {
                throw mismatch(item, target);
            }
            return Optional.of(new MapType(nested(item, target, map.key(), m.keys()),
                    nested(item, target, map.value(), m.values())));
        }
        if (ast instanceof Expression.StructConstructor s) {
            if (!(target instanceof StructType struct)) {
                throw mismatch(item, target);
            }
            return Optional.of(struct(item, s, struct));
        }
        if (ast instanceof Expression.StringLiteral text) {
            if (target.isNumeric()) {
                return Optional.of(numberInText(text, target));
            }
            if (target == ScalarType.BOOLEAN) {
                if (parseBoolean(text.value().trim()).isEmpty()) {
                    throw invalidSyntax(text, target);
                }
                return common;
            }
        }
        boolean literal = ast instanceof Expression.StringLiteral || ast instanceof Expression.NumericLiteral
                || ast instanceof Expression.BooleanLiteral || ast instanceof Expression.Negate n
                && n.value() instanceof Expression.NumericLiteral;
        Optional<SqlType> widened = coerce(item.type(), target, literal);
        if (widened.isEmpty()) {
            widened = coerce(target, item.type(), literal);
        }
        return Optional.of(widened.orElseThrow(() -> mismatch(item, target)));
    }

    /** A constructor's elements typed against the leading element type (ksqlDB puts a typed NULL first). */
    private SqlType nested(Item item, SqlType target, SqlType leading, List<Expression> elements) {
        try {
            Optional<SqlType> common = Optional.of(leading);
            for (Expression element : elements) {
                common = step(new Item(element, analyzer.analyze(element)), common);
            }
            return common.orElseThrow();
        } catch (Mismatch inner) {
            throw mismatch(item, target);
        }
    }

    /** The union of the fields by name: the constructor's first, then the leading type's others. */
    private SqlType struct(Item item, Expression.StructConstructor s, StructType target) {
        try {
            Set<String> names = new LinkedHashSet<>();
            s.names().forEach(n -> names.add(fieldName(item, n.value())));
            target.fields().forEach(f -> names.add(f.name()));
            List<Column> fields = new ArrayList<>();
            for (String name : names) {
                Optional<Column> to = target.fields().stream().filter(f -> f.name().equals(name)).findFirst();
                int from = -1;
                for (int i = 0; i < s.names().size(); i++) {
                    if (fieldName(item, s.names().get(i).value()).equals(name)) {
                        from = i;
                    }
                }
                SqlType type;
                if (from < 0) {
                    type = to.orElseThrow().type();
                } else {
                    Expression value = s.values().get(from);
                    Item field = new Item(value, analyzer.analyze(value));
                    type = to.isEmpty() ? field.type() : step(field, Optional.of(to.get().type())).orElseThrow();
                }
                fields.add(new Column(name, type, true));
            }
            return new StructType(fields);
        } catch (Mismatch inner) {
            throw mismatch(item, target);
        }
    }

    /** The field's name as the analyzed constructor spells it (the analyzer may normalize case). */
    private static String fieldName(Item item, String written) {
        if (item.type() instanceof StructType t) {
            for (Column c : t.fields()) {
                if (c.name().equals(written)) {
                    return written;
                }
            }
            for (Column c : t.fields()) {
                if (c.name().equalsIgnoreCase(written)) {
                    return c.name();
                }
            }
        }
        return written;
    }

    /** ksqlDB's type of a number written as text, widened with the leading numeric type. */
    private SqlType numberInText(Expression.StringLiteral text, SqlType target) {
        String value = text.value();
        BigDecimal number;
        try {
            number = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw invalidSyntax(text, target);
        }
        SqlType source = textNumberType(value, number);
        if (target == ScalarType.DOUBLE) {
            return ScalarType.DOUBLE;
        }
        if (source instanceof DecimalType || target instanceof DecimalType) {
            return TypeRules.commonType(source, target).orElseThrow();
        }
        return source == ScalarType.BIGINT || target == ScalarType.BIGINT ? ScalarType.BIGINT : ScalarType.INTEGER;
    }

    private static SqlType textNumberType(String text, BigDecimal number) {
        boolean fraction = text.contains(".") || text.toLowerCase(Locale.ROOT).contains("e");
        if (!fraction && number.scale() == 0) {
            BigInteger i = number.toBigIntegerExact();
            if (i.compareTo(INT_MIN) > 0 && i.compareTo(INT_MAX) < 0) {
                return ScalarType.INTEGER;
            }
            if (i.compareTo(LONG_MIN) > 0 && i.compareTo(LONG_MAX) < 0) {
                return ScalarType.BIGINT;
            }
        }
        BigDecimal d = number.scale() < 0 ? number.setScale(0) : number;
        if (d.abs().compareTo(BigDecimal.ONE) < 0) {
            return new DecimalType(d.scale() + 1, d.scale());
        }
        return new DecimalType(Math.max(d.precision(), 1), Math.max(d.scale(), 0));
    }

    /**
     * ksqlDB's {@code DefaultSqlValueCoercer.canCoerce}: the type holding both, when {@code from}
     * converts to {@code to}; a literal ({@code lax}) also converts between text and a number or BOOLEAN.
     */
    static Optional<SqlType> coerce(SqlType from, SqlType to, boolean lax) {
        if (from.isNumeric() && to.isNumeric()) {
            if (to == ScalarType.DOUBLE) {
                return Optional.of(to);
            }
            if (from == ScalarType.DOUBLE) {
                return Optional.empty();
            }
            if (to instanceof DecimalType || from instanceof DecimalType) {
                return to instanceof DecimalType ? TypeRules.commonType(from, to) : Optional.empty();
            }
            return from == ScalarType.BIGINT && to == ScalarType.INTEGER ? Optional.empty() : Optional.of(to);
        }
        if (from instanceof ArrayType a && to instanceof ArrayType b) {
            return coerce(a.element(), b.element(), lax).map(ArrayType::new);
        }
        if (from instanceof MapType a && to instanceof MapType b) {
            Optional<SqlType> key = coerce(a.key(), b.key(), lax);
            Optional<SqlType> value = coerce(a.value(), b.value(), lax);
            return key.isPresent() && value.isPresent() ? Optional.of(new MapType(key.get(), value.get()))
                    : Optional.empty();
        }
        if (from instanceof StructType a && to instanceof StructType b) {
            Set<String> names = new LinkedHashSet<>();
            a.fields().forEach(f -> names.add(f.name()));
            b.fields().forEach(f -> names.add(f.name()));
            List<Column> fields = new ArrayList<>();
            for (String name : names) {
                Optional<Column> x = a.fields().stream().filter(f -> f.name().equals(name)).findFirst();
                Optional<Column> y = b.fields().stream().filter(f -> f.name().equals(name)).findFirst();
                if (x.isEmpty() || y.isEmpty()) {
                    fields.add(new Column(name, x.or(() -> y).orElseThrow().type(), true));
                    continue;
                }
                Optional<SqlType> common = coerce(x.get().type(), y.get().type(), lax);
                if (common.isEmpty()) {
                    return Optional.empty();
                }
                fields.add(new Column(name, common.get(), true));
            }
            return Optional.of(new StructType(fields));
        }
        if (from.equals(to)) {
            return Optional.of(to);
        }
        if (from == ScalarType.VARCHAR && (to == ScalarType.TIMESTAMP || to == ScalarType.TIME
                || to == ScalarType.DATE || to == ScalarType.BYTES)) {
            return Optional.of(to);
        }
        if (lax && to == ScalarType.VARCHAR && (from.isNumeric() || from == ScalarType.BOOLEAN || from.isTemporal()
                || from == ScalarType.TIME)) {
            return Optional.of(to);
        }
        if (lax && from == ScalarType.VARCHAR && (to.isNumeric() || to == ScalarType.BOOLEAN)) {
            return Optional.of(to);
        }
        return Optional.empty();
    }

    private static Expr convert(Item item, SqlType common) {
        Expr expr = item.expr();
        if (expr.type().equals(common)) {
            return expr;
        }
        if (expr instanceof Expr.Literal l && l.value() == null) {
            return new Expr.Literal(null, common);
        }
        if (expr instanceof Expr.Literal l) {
            Optional<Object> value = literal(l, common);
            if (value.isPresent()) {
                return new Expr.Literal(value.get(), common);
            }
        }
        return new Expr.Call("CAST", List.of(expr), common);
    }

    /** A literal's value in another type, where ksqlDB converts it as written (empty: leave it to CAST). */
    private static Optional<Object> literal(Expr.Literal l, SqlType to) {
        Object v = l.value();
        if (v instanceof String text) {
            String t = text.trim();
            try {
                if (to == ScalarType.BOOLEAN) {
                    return parseBoolean(t).map(b -> b);
                }
                if (to == ScalarType.INTEGER) {
                    return Optional.of(new BigDecimal(t).intValueExact());
                }
                if (to == ScalarType.BIGINT) {
                    return Optional.of(new BigDecimal(t).longValueExact());
                }
                if (to == ScalarType.DOUBLE) {
                    return Optional.of(Double.parseDouble(t));
                }
                if (to instanceof DecimalType d) {
                    return Optional.of(new BigDecimal(t).setScale(d.scale(), RoundingMode.HALF_UP));
                }
            } catch (ArithmeticException | NumberFormatException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
        if (to == ScalarType.VARCHAR && (v instanceof Number || v instanceof Boolean)) {
            return Optional.of(v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
        }
        if (v instanceof Number n && to instanceof DecimalType d && !(v instanceof Double)) {
            return Optional.of(new BigDecimal(n.toString()).setScale(d.scale(), RoundingMode.HALF_UP));
        }
        if (v instanceof Number n && to == ScalarType.DOUBLE) {
            return Optional.of(n.doubleValue());
        }
        if ((v instanceof Integer || v instanceof Long) && to == ScalarType.BIGINT) {
            return Optional.of(((Number) v).longValue());
        }
        return Optional.empty();
    }

    /** ksqlDB's text for a BOOLEAN: any start of {@code true} or {@code yes}, or of {@code false} or {@code no}. */
    static Optional<Boolean> parseBoolean(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.toLowerCase(Locale.ROOT);
        if ("true".startsWith(t) || "yes".startsWith(t)) {
            return Optional.of(true);
        }
        if ("false".startsWith(t) || "no".startsWith(t)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    private SqlException invalidSyntax(Expression.StringLiteral text, SqlType target) {
        return new SqlException(text.location(), prefix + "invalid input syntax for type " + SqlType.baseName(target)
                + ": \"" + text.value() + "\".", "'" + text.value() + "' is no " + SqlType.baseName(target));
    }

    private Mismatch mismatch(Item item, SqlType target) {
        return new Mismatch(item.ast(), prefix + "operator does not exist: " + KsqlText.type(target) + " = "
                + KsqlText.type(item.type()) + " (" + KsqlText.expression(item.ast()) + ")" + System.lineSeparator()
                + "Hint: You might need to add explicit type casts.");
    }

    /** ksqlDB's {@code InvalidCoercionException}: an enclosing constructor reports it with its own text. */
    static final class Mismatch extends SqlException {
        Mismatch(Expression at, String message) {
            super(at.location(), message, "CAST the item to the list's type");
        }
    }
}
