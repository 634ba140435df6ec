package dev.sluice.grammar;

import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Statement;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SQL → AST → SQL → AST gives the same AST, for every seed statement. */
class RoundTripTest {

    static void assertRoundTrips(Statement statement) {
        String formatted = SqlFormatter.format(statement);
        Statement reparsed;
        try {
            reparsed = SqlParser.parseStatement(formatted);
        } catch (SqlException e) {
            throw new AssertionError("formatted SQL does not parse: " + e.positioned() + "\n" + formatted, e);
        }
        assertEquals(statement, reparsed, () -> "formatted as:\n" + formatted);
        assertEquals(formatted, SqlFormatter.format(reparsed), "formatting is stable");
    }

    static void assertRoundTrips(Expression expression) {
        String formatted = SqlFormatter.format(expression);
        assertEquals(expression, SqlParser.parseExpression(formatted), () -> "formatted as: " + formatted);
    }

    @TestFactory
    Stream<DynamicNode> everySeedStatementRoundTrips() {
        return SeedParsingTest.perStatement(s -> DynamicTest.dynamicTest(s.name(),
                () -> assertRoundTrips(s.parsed().statement())));
    }
}
