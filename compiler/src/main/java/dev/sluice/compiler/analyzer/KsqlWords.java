package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Identifier;

import java.util.Map;
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
        return new SqlException(sluice.line(), sluice.column(), message, sluice.hint().orElse(null));
    }

    /** ksqlDB's {@code AstBuilder}: a qualifier that names no source of the query. */
    static SqlException unknownRelation(Identifier qualifier, String hint) {
        return new SqlException(qualifier.location(), "'" + qualifier.value() + "' is not a valid stream/table name "
                + "or alias.", hint);
    }
}
