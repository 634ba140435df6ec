package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlPreparationException;
import dev.sluice.grammar.SqlSyntaxException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ksqlDB's syntax-level rules in its dialect: its syntax error words, the statements it has and
 * Sluice does not run, its numeric literal ranges, value expressions as grouping keys and its
 * refusals of {@code INSERT … VALUES}.
 */
class KsqlSyntaxRulesTest {
    private static final String STREAM = "CREATE STREAM s (k INT KEY, a INT, b VARCHAR) "
            + "WITH (kafka_topic='s', value_format='JSON');\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    private static SqlException error(String sql) {
        return assertThrows(SqlException.class, () -> compile(sql));
    }

    @Test
    void ksqlDbsOwnStatementsGetKsqlDbsWordsWithoutAKafkaTopic() {
        SqlException run = error("RUN SCRIPT 'setup.sql';");
        assertEquals("Syntax Error\nUnknown statement 'RUN'\nDid you mean 'DROP'?", run.getMessage());
        SqlException assertion = error("ASSERT VALUES s (k INT) VALUES (1);");
        assertEquals("Syntax Error\nSyntax error at or near 'VALUES' at line 1:8", assertion.getMessage());
        assertEquals(8, assertion.column());
        // a Flink-style script keeps Sluice's words
        assertTrue(error("SELEC * FROM t;").getMessage().startsWith("syntax error at 'SELEC'"));
    }

    @Test
    void typeParametersAreNumbersOrTheWordString() {
        SqlException e = error("CREATE STREAM x (k DOUBLE (KEY)) WITH (kafka_topic='x', value_format='JSON');");
        assertEquals("Syntax Error\nExpecting {'STRING', INTEGER_VALUE}", e.getMessage());
        assertEquals(28, e.column());
        CompiledScript script = compile("CREATE STREAM x (k VARCHAR(STRING) KEY, v VARCHAR(STRING)) "
                + "WITH (kafka_topic='x', value_format='JSON');");
        SourceDefinition x = script.sources().get(0);
        assertEquals(ScalarType.VARCHAR, x.schema().type(0));
        assertEquals(ScalarType.VARCHAR, x.schema().type(1));
    }

    @Test
    void groupingKeysAreValuesNotConditions() {
        SqlException group = error(STREAM + "CREATE TABLE o AS SELECT COUNT(*) AS n FROM s GROUP BY b AND k;");
        assertTrue(group instanceof SqlSyntaxException);
        assertTrue(group.getMessage().startsWith("Syntax Error\nGROUP BY takes values"), group.getMessage());
        assertEquals(2, group.line());
        assertEquals(56, group.column());
        SqlException partition = error(STREAM + "CREATE STREAM o AS SELECT * FROM s PARTITION BY a IS NULL;");
        assertTrue(partition.getMessage().startsWith("Syntax Error\nPARTITION BY takes values"));
        // in parentheses a condition is a value (a BOOLEAN key: KAFKA keys cannot hold one, JSON keys can)
        compile(STREAM + "CREATE TABLE o WITH (KEY_FORMAT = 'JSON') AS SELECT (a > 1) AS big, COUNT(*) AS n "
                + "FROM s GROUP BY (a > 1);");
        // Flink's dialect groups by any expression
        compile("CREATE TABLE f (a INT, b BOOLEAN) WITH ('connector' = 'kafka', 'topic' = 'f', 'format' = 'json');\n"
                + "SELECT a > 1 AND b, COUNT(*) FROM f GROUP BY a > 1 AND b;");
    }

    @Test
    void numericLiteralsBeyondKsqlDbsRanges() {
        SqlPreparationException big = assertThrows(SqlPreparationException.class,
                () -> compile(STREAM + "CREATE STREAM o AS SELECT k, 9223372036854775808 AS x FROM s;"));
        assertEquals("Invalid numeric literal: 9223372036854775808", big.getMessage());
        assertEquals(SqlPreparationException.Stage.AST_BUILDER_PARSING, big.stage());
        assertEquals(30, big.column());
        SqlException small = error(STREAM + "CREATE STREAM o AS SELECT k, -9223372036854775809 AS x FROM s;");
        assertEquals("Invalid numeric literal: -9223372036854775809", small.getMessage());
        SqlException dbl = error(STREAM + "CREATE STREAM o AS SELECT k, -1.8E308 AS x FROM s;");
        assertEquals("Number overflows DOUBLE: -1.8E308", dbl.getMessage());
        compile(STREAM + "CREATE STREAM o AS SELECT k, -9223372036854775808 AS x, 1.7E308 AS y FROM s;");
    }

    @Test
    void insertValuesIsRefusedWithKsqlDbsReasonsFirst() {
        assertEquals("Cannot insert values into an unknown stream/table: `S2`",
                error(STREAM + "INSERT INTO s2 VALUES (1, 2, 'x');").getMessage());
        assertEquals("Cannot insert values into an unknown stream/table: `s`\nDid you mean S? "
                + "Hint: try removing double quotes from the source name.",
                error(STREAM + "INSERT INTO \"s\" VALUES (1, 2, 'x');").getMessage());
        assertEquals("Cannot insert values into read-only stream: R", error("CREATE SOURCE STREAM r (k INT KEY, v INT) "
                + "WITH (kafka_topic='r', value_format='JSON');\nINSERT INTO r VALUES (1, 2);").getMessage());
        assertEquals("Cannot insert values into windowed stream/table!", error("CREATE TABLE w (k INT PRIMARY KEY, "
                + "v INT) WITH (kafka_topic='w', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');\n"
                + "INSERT INTO w VALUES (1, 2);").getMessage());
        SqlException valid = error(STREAM + "INSERT INTO s (k, a, b) VALUES (1, 2, 'x');");
        assertTrue(valid.getMessage().startsWith("INSERT … VALUES is not supported in compiled applications"));
        assertEquals(2, valid.line());
        SqlException flink = error("CREATE TABLE f (a INT) WITH ('connector' = 'kafka', 'topic' = 'f', 'format' = 'json');\n"
                + "INSERT INTO f VALUES (1);");
        assertTrue(flink.getMessage().startsWith("INSERT … VALUES is not supported in compiled applications"));
    }
}
