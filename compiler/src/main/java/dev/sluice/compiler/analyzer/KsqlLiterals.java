package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.SqlPreparationException;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.NodeLocation;

/**
 * ksqlDB's range rules for numeric literals (its {@code ParserUtil}), in its dialect: a whole number
 * is an INT or a BIGINT, never a DECIMAL, so one beyond BIGINT is {@code Invalid numeric literal}; a
 * number with an exponent beyond DOUBLE is {@code Number overflows DOUBLE}. ksqlDB reads a leading
 * minus as part of the literal, so {@code -9223372036854775808} is BIGINT's least value and the
 * message quotes the sign.
 */
final class KsqlLiterals {
    private KsqlLiterals() {
    }

    /** {@code -literal}, read as ksqlDB reads it: one literal, a whole number an INT when it fits. */
    static dev.sluice.runtime.expr.Expr negative(Expression.NumericLiteral literal, NodeLocation at) {
        checkRange(literal, true, at);
        String text = literal.text();
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            long value = Long.parseLong("-" + text);
            return value >= Integer.MIN_VALUE
                    ? new dev.sluice.runtime.expr.Expr.Literal((int) value, dev.sluice.serdes.row.ScalarType.INTEGER)
                    : new dev.sluice.runtime.expr.Expr.Literal(value, dev.sluice.serdes.row.ScalarType.BIGINT);
        }
        return Literals.negate((dev.sluice.runtime.expr.Expr.Literal) Literals.numeric(literal));
    }

    static void checkRange(Expression.NumericLiteral literal, boolean negative, NodeLocation at) {
        String text = (negative ? "-" : "") + literal.text();
        boolean exponent = text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        if (exponent) {
            if (Double.isInfinite(Double.parseDouble(text))) {
                throw new SqlPreparationException(SqlPreparationException.Stage.AST_BUILDER_PARSING, at,
                        "Number overflows DOUBLE: " + text, "a DOUBLE holds at most about 1.7976931348623157E308");
            }
        } else if (text.indexOf('.') < 0) {
            try {
                Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new SqlPreparationException(SqlPreparationException.Stage.AST_BUILDER_PARSING, at,
                        "Invalid numeric literal: " + text, "a whole number is an INT or a BIGINT in ksqlDB: "
                        + "BIGINT runs from -9223372036854775808 to 9223372036854775807; write a DECIMAL "
                        + "with a point (" + text + ".0) for a larger one");
            }
        }
    }
}
