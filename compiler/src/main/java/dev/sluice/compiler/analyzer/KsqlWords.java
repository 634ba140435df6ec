package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;

import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.SqlType;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ksqlDB's words for the mistakes the analyzer catches, used in the ksqlDB dialect: the message
 * leads with what ksqlDB says for the same condition (a ksqlDB user can search for it), at Sluice's
 * position, with Sluice's did-you-mean as the hint.
 */
final class KsqlWords {
    /** Sluice's clause names to ksqlDB's ({@code ColumnReferenceValidator}'s prefixes). */
    private static final Map<String, String> CLAUSES = Map.of("SELECT", "SELECT", "WHERE", "WHERE", "GROUP BY",
            "GROUP BY", "PARTITION BY", "PARTITION BY", "HAVING", "HAVING", "ON", "JOIN ON");

    private KsqlWords() {
    }

    /** ksqlDB's {@code UnknownColumnException}: {@code SELECT column 'BOB' cannot be resolved.} */
    static SqlException unresolved(String clause, Expression.ColumnRef ref, SqlException sluice) {
        String prefix = CLAUSES.get(clause);
        if (prefix == null) {
            return sluice;
        }
        String column = ref.parts().stream().map(Identifier::value).collect(Collectors.joining("."));
        String message = prefix + " column '" + column + "' cannot be resolved.";
        if (clause.equals("PARTITION BY")) {
            // ksqlDB's Analyzer adds why: PARTITION BY is applied before the projection
            message = prefix + " column '" + column + "' cannot be resolved. '" + column + "' must be a column in the "
                    + "source schema since PARTITION BY is applied on the input.";
        }
        // ksqlDB places the error at the reference's start (its qualifier), not at the column's name
        return new SqlException(ref.location(), message, sluice.hint().orElse(null));
    }

    /** ksqlDB's {@code AmbiguousColumnException}: {@code Column 'F0' is ambiguous. Could be I1.F0 or I2.F0.} */
    static SqlException ambiguous(Identifier name, List<ScopeColumn> matches) {
        List<String> candidates = matches.stream().map(c -> (c.relation().orElse("?") + "." + c.name())
                .toUpperCase(Locale.ROOT)).sorted().toList();
        String could = candidates.size() == 1 ? candidates.get(0)
                : String.join(", ", candidates.subList(0, candidates.size() - 1)) + " or " + candidates.get(candidates.size() - 1);
        // ksqlDB's AstSanitizer resolves unqualified names, while the statement is prepared
        return new dev.sluice.grammar.SqlPreparationException(dev.sluice.grammar.SqlPreparationException.Stage.SANITIZER,
                name.location(), "Column '" + (name.quoted() ? name.value() : name.value().toUpperCase(Locale.ROOT))
                + "' is ambiguous. Could be " + could + ".", "qualify it with a relation alias");
    }

    /** ksqlDB's {@code AstBuilder}: a qualifier that names no source of the query. */
    static SqlException unknownRelation(Identifier qualifier, String hint) {
        return new dev.sluice.grammar.SqlPreparationException(dev.sluice.grammar.SqlPreparationException.Stage.AST_BUILDER,
                qualifier.location(), "'" + qualifier.value() + "' is not a valid stream/table name or alias.", hint);
    }

    /**
     * ksqlDB's {@code ExpressionTypeManager} and {@code FilterTypeValidator}: {@code Cannot compare
     * ID (INTEGER) to 'x' (STRING) with GREATER_THAN.}, after {@code Error in WHERE expression: } in a
     * WHERE or HAVING.
     */
    static SqlException cannotCompare(String clause, Expression.Binary b, SqlType left, SqlType right, String hint,
                                      java.util.function.Function<Expression.ColumnRef, String> columns) {
        String prefix = clause.equals("WHERE") || clause.equals("HAVING") ? "Error in " + clause + " expression: " : "";
        return new SqlException(b.location(), prefix + "Cannot compare " + KsqlText.expression(b.left(), columns) + " ("
                + KsqlText.type(left) + ") to " + KsqlText.expression(b.right(), columns) + " (" + KsqlText.type(right)
                + ") with " + KsqlText.comparison(b.operator()) + ".", hint);
    }

    /** ksqlDB's {@code CastEvaluator}: {@code Cast of STRING to ARRAY<INTEGER> is not supported}. */
    static SqlException cannotCast(String clause, SqlType from, SqlType to, NodeLocation at) {
        String prefix = clause.equals("SELECT") ? "Invalid Select: " : "";
        return new SqlException(at, prefix + "Cast of " + KsqlText.type(from) + " to " + KsqlText.type(to)
                + " is not supported", "cannot cast " + from.sql() + " to " + to.sql());
    }

    /**
     * ksqlDB's {@code UdfIndex} and {@code InternalFunctionRegistry}: a function that does not
     * exist, or whose arguments match none of its signatures, named as ksqlDB registers it.
     */
    static SqlException function(String name, List<Expr> args, boolean exists, SqlException sluice) {
        if (!exists) {
            return new SqlException(sluice.line(), sluice.column(), "Can't find any functions with the name '"
                    + name + "'", sluice.hint().orElse(sluice.getMessage()));
        }
        String types = args.stream().map(a -> KsqlText.type(a.type())).collect(Collectors.joining(", ", "(", ")"));
        return new SqlException(sluice.line(), sluice.column(), "Function '" + registered(name)
                + "' does not accept parameters " + types + ".", sluice.getMessage());
    }

    /** Most of ksqlDB's built-in functions are registered in lower case; these are not. */
    private static final Set<String> UPPER_CASE = Set.of("ARRAY_CONTAINS", "ARRAY_JOIN", "ARRAY_LENGTH", "AS_MAP",
            "COALESCE", "ENTRIES", "GENERATE_SERIES", "IFNULL", "IS_JSON_STRING", "JSON_ARRAY_CONTAINS",
            "JSON_ARRAY_LENGTH", "JSON_CONCAT", "JSON_ITEMS", "JSON_KEYS", "JSON_RECORDS", "TO_JSON_STRING", "UUID");
    private static final Map<String, String> MIXED_CASE = Map.of("ABS", "Abs", "CEIL", "Ceil", "CHR", "Chr",
            "FLOOR", "Floor", "LPAD", "LPad", "RPAD", "RPad", "ROUND", "Round");

    private static String registered(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (UPPER_CASE.contains(upper)) {
            return upper;
        }
        return MIXED_CASE.getOrDefault(upper, name.toLowerCase(Locale.ROOT));
    }

    /**
     * ksqlDB's {@code ExpressionTypeManager}: a constructor needs an element, key and value whose
     * type it can tell (a NULL alone has none; cast it).
     */
    static void constructor(String kind, List<Expr> keys, List<Expr> values, NodeLocation at) {
        String see = "(see https://github.com/confluentinc/ksql/issues/4239)";
        if (values.isEmpty()) {
            throw new SqlException(at, kind.equals("ARRAY") ? "Array constructor cannot be empty. Please supply at "
                    + "least one element " + see + "." : "Map constructor cannot be empty. Please supply at least one "
                    + "key value pair " + see + ".", "an empty " + kind + " has no element type");
        }
        if (!keys.isEmpty() && keys.stream().allMatch(k -> k.type() == ScalarType.NULL)) {
            throw new SqlException(at, "Cannot construct a map with all NULL keys " + see + ". As a workaround, you may "
                    + "cast a NULL key to the desired type.", "CAST(NULL AS VARCHAR)");
        }
        if (values.stream().allMatch(v -> v.type() == ScalarType.NULL)) {
            String what = kind.equals("ARRAY") ? "an array with all NULL elements" : "a map with all NULL values";
            throw new SqlException(at, "Cannot construct " + what + " " + see + ". As a workaround, you may cast a "
                    + "NULL value to the desired type.", "CAST(NULL AS <type>)");
        }
    }
}
