package dev.sluice.grammar;

import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.TypeSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ksqlDB's parser says about a syntax error, carried beside Sluice's own account. */
class KsqlSyntaxAccountTest {

    private static SqlSyntaxException error(String sql) {
        return assertThrows(SqlSyntaxException.class, () -> SqlParser.parseScript(sql));
    }

    private static String detail(String sql) {
        return error(sql).ksql().orElseThrow().detail();
    }

    @Test
    void aShortListOfExpectedTokensIsListedInAntlrsForm() {
        SqlSyntaxException e = error("CREATE STREAM s (k INT (KEY)) WITH (kafka_topic='s');");
        assertEquals("Expecting {'STRING', INTEGER_VALUE}", e.ksql().orElseThrow().detail());
        assertEquals(25, e.column());
        assertTrue(e.getMessage().startsWith("syntax error at 'KEY'"), e.getMessage());
        assertEquals("Expecting {',', ')'}", detail("CREATE STREAM s (k VARCHAR(STRING) (KEY)) WITH (kafka_topic='s');"));
    }

    @Test
    void whereNoAlternativeFitsTheTokenIsNamedWithItsPlace() {
        assertEquals("Syntax error at or near 'NULL' at line 2:18",
                detail("SELECT 1 FROM t;\nSELECT CAST(a AS NULL) FROM t;"));
    }

    @Test
    void aMissingTokenIsAntlrsMissing() {
        assertEquals("missing ')' at ','", detail("SELECT a FROM t GROUP BY a, (b, c);"));
    }

    @Test
    void anUnknownStatementSuggestsTheClosestOne() {
        SqlSyntaxException e = error("SLECT * FROM t;");
        assertEquals("Unknown statement 'SLECT'\nDid you mean 'SELECT'?", e.ksql().orElseThrow().detail());
        assertFalse(e.ksql().orElseThrow().ksqlOnly());
    }

    @Test
    void theClosestStatementIsPickedByLevenshteinDistanceAsKsqlDbPicksIt() {
        // ESLCET is SELECT with two swaps (two edits with swaps counted once) but four Levenshtein edits
        // from it, three from SET: ksqlDB's words name SET
        assertEquals("Unknown statement 'ESLCET'\nDid you mean 'SET'?", detail("ESLCET * FROM t;"));
    }

    @Test
    void ksqlDbsOwnStatementsMakeTheScriptKsqlDbs() {
        SqlSyntaxException run = error("RUN SCRIPT 'x.sql';");
        assertTrue(run.ksql().orElseThrow().ksqlOnly());
        assertTrue(run.ksql().orElseThrow().detail().startsWith("Unknown statement 'RUN'"));
        assertTrue(run.getMessage().contains("RUN SCRIPT is a command of ksqlDB's CLI"), run.getMessage());
        SqlSyntaxException assertion = error("ASSERT VALUES s (k INT) VALUES (1);");
        assertEquals(8, assertion.column());
        assertEquals("Syntax error at or near 'VALUES' at line 1:8", assertion.ksql().orElseThrow().detail());
        SqlSyntaxException topic = error("ASSERT TOPIC t;");
        assertTrue(topic.getMessage().startsWith("not supported: ASSERT TOPIC"), topic.getMessage());
    }

    @Test
    void insertValuesParses() {
        Statement.InsertValues insert = (Statement.InsertValues) SqlParser.parseStatement(
                "INSERT INTO s (k, v) VALUES (1, 'a')");
        assertEquals("s", insert.target().toString());
        assertEquals(2, insert.columns().size());
        assertTrue(insert.values().get(1) instanceof Expression.StringLiteral);
        Statement.InsertValues all = (Statement.InsertValues) SqlParser.parseStatement("INSERT INTO s VALUES ()");
        assertTrue(all.columns().isEmpty() && all.values().isEmpty());
        assertTrue(SqlParser.parseStatement("INSERT INTO s (k) SELECT k FROM t") instanceof Statement.InsertInto);
    }

    @Test
    void varcharOfStringIsVarchar() {
        Statement.CreateSource create = (Statement.CreateSource) SqlParser.parseStatement(
                "CREATE STREAM s (k VARCHAR(STRING) KEY, string STRING) WITH (kafka_topic='s')");
        TypeSpec.Named type = (TypeSpec.Named) create.columns().get(0).type();
        assertEquals("VARCHAR", type.name().toUpperCase(java.util.Locale.ROOT));
        assertTrue(type.parameters().isEmpty());
        assertEquals("string", create.columns().get(1).name().value()); // STRING still names a column
    }
}
