package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * ksqlDB's rules for statements (INSERT INTO, read-only SOURCE streams and tables, DROP, EMIT FINAL,
 * the KAFKA value format, GROUP BY and PARTITION BY), refused in the ksqlDB dialect with ksqlDB's
 * words on the statement's line, with a hint. The statement under test is on line 4, after three
 * declarations.
 */
class KsqlStatementRulesTest {
    private static final String PRELUDE = ""
            + "CREATE STREAM s (k VARCHAR KEY, a INT, b VARCHAR) WITH (kafka_topic='s', value_format='JSON');\n"
            + "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR) WITH (kafka_topic='t', value_format='JSON');\n"
            + "CREATE SOURCE STREAM r (k VARCHAR KEY, a INT, b VARCHAR) WITH (kafka_topic='r', value_format='JSON');\n";

    static Stream<Arguments> refusals() {
        return Stream.of(
                // ---- INSERT INTO (EngineExecutor.validateExistingSink, InsertIntoValidator) ----------
                arguments("INSERT INTO nowhere SELECT * FROM s;", "Source `NOWHERE` does not exist."),
                arguments("INSERT INTO t SELECT a AS id, b AS name FROM s PARTITION BY a;",
                        "INSERT INTO can only be used to insert into a stream. T is a table."),
                arguments("INSERT INTO r SELECT * FROM s;", "Cannot insert into read-only stream: R"),
                arguments("INSERT INTO s SELECT k, a FROM s;", "Incompatible schema between results and sink.\n"
                        + "Result schema is `K` STRING KEY, `A` INTEGER\n"
                        + "Sink schema is `K` STRING KEY, `A` INTEGER, `B` STRING"),
                arguments("INSERT INTO s SELECT k, a, a AS b FROM s;", "Incompatible schema between results and sink.\n"
                        + "Result schema is `K` STRING KEY, `A` INTEGER, `B` INTEGER\n"
                        + "Sink schema is `K` STRING KEY, `A` INTEGER, `B` STRING"),
                // ---- read-only sources (DdlCommandExec) --------------------------------------------
                arguments("CREATE OR REPLACE STREAM r (k VARCHAR KEY, a INT) WITH (kafka_topic='r', value_format='JSON');",
                        "Cannot add stream 'R': CREATE OR REPLACE is not supported on source streams."),
                arguments("CREATE OR REPLACE SOURCE TABLE t (id INT PRIMARY KEY, name VARCHAR) "
                                + "WITH (kafka_topic='t', value_format='JSON');",
                        "Cannot add table 'T': CREATE OR REPLACE is not supported on source tables."),
                arguments("ALTER STREAM r ADD COLUMN c INT;",
                        "Cannot alter stream 'R': ALTER operations are not supported on source streams."),
                arguments("DROP STREAM r DELETE TOPIC;", "Cannot delete topic for read-only source: R"),
                arguments("DROP STREAM nothing;", "Stream NOTHING does not exist"),
                // ---- queries (Analyzer, GroupBy, PartitionByParamsFactory) -------------------------
                arguments("CREATE TABLE o AS SELECT b, COUNT(*) AS n FROM s GROUP BY b EMIT FINAL;",
                        "EMIT FINAL is only supported for windowed aggregations."),
                arguments("CREATE TABLE o AS SELECT COUNT(*) AS n, SUM(a) AS total FROM s;",
                        "CREATE TABLE AS SELECT statement does not support aggregate function [COUNT(ROWTIME), SUM(S.A)] "
                                + "without a GROUP BY clause."),
                arguments("CREATE TABLE o AS SELECT b, COUNT(*) AS n FROM s;",
                        "Non-aggregate SELECT expression(s) not part of GROUP BY: B\n"
                                + "Either add the column(s) to the GROUP BY or remove them from the SELECT."),
                // * beside GROUP BY is every column of the source: those not grouped are named
                arguments("CREATE TABLE o AS SELECT *, COUNT(*) AS n FROM s GROUP BY k, b;",
                        "Non-aggregate SELECT expression(s) not part of GROUP BY: A\n"
                                + "Either add the column(s) to the GROUP BY or remove them from the SELECT."),
                arguments("CREATE TABLE o AS SELECT k, a FROM s WINDOW TUMBLING (SIZE 1 SECOND);",
                        "WINDOW clause requires a GROUP BY clause."),
                arguments("CREATE TABLE o AS SELECT COUNT(*) AS n FROM s GROUP BY b, s.b;",
                        "Duplicate GROUP BY expression: S.B"),
                arguments("CREATE STREAM o AS SELECT b, a FROM s PARTITION BY ABS(a);",
                        "The query used to build `O` must include the partitioning expression ABS(S.A) in its "
                                + "projection (eg, SELECT ABS(S.A)...)."),
                arguments("CREATE STREAM o AS SELECT b AS a, k FROM s PARTITION BY a, LCASE(k);",
                        "The query used to build `O` must include the partitioning expressions S.A and LCASE(S.K) in "
                                + "its projection (eg, SELECT S.A, LCASE(S.K)...)."),
                // a selected partitioning expression is named too: ksqlDB lists them all
                arguments("CREATE STREAM o AS SELECT b, k FROM s PARTITION BY b, ABS(a);",
                        "The query used to build `O` must include the partitioning expressions S.B and ABS(S.A) in "
                                + "its projection (eg, SELECT S.B, ABS(S.A)...)."),
                arguments("CREATE STREAM o AS SELECT a, b FROM s PARTITION BY NULL, a;",
                        "Cannot PARTITION BY multiple columns including NULL"),
                arguments("CREATE STREAM o WITH (key_format='JSON') AS SELECT a, b FROM s PARTITION BY NULL;",
                        "Key format specified for stream without key columns."),
                arguments("CREATE STREAM o AS SELECT * FROM s JOIN t ON s.a = t.id JOIN t ON s.a = t.id;",
                        "N-way joins do not support multiple occurrences of the same source. Source: 'T'"),
                arguments("CREATE STREAM o AS SELECT * FROM s JOIN t ON s.a = s.a;",
                        "Each side of the join must reference exactly one source and not the same source. "
                                + "Left side references `S` and right references `S`"),
                arguments("CREATE STREAM o AS SELECT s.k, t.name FROM s JOIN t ON t.id = null;",
                        "Invalid comparison expression 'null' in join '(T.ID = null)'. Each side of the join "
                                + "comparision must contain references from exactly one source."),
                arguments("CREATE TABLE o AS SELECT a, WONT_FIND_ME(b) AS x FROM s GROUP BY a;",
                        "Can't find any functions with the name 'WONT_FIND_ME'"),
                // ---- names (AmbiguousColumnException) ----------------------------------------------
                arguments("CREATE STREAM o AS SELECT s.k, name FROM s JOIN r WITHIN 1 SECOND ON s.k = r.k "
                                + "JOIN t ON s.a = t.id WHERE b = 'x';",
                        "Column 'B' is ambiguous. Could be R.B or S.B."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithKsqlDbsWordsOnTheStatementsLine(String statement, String message) {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE + statement));
        assertEquals(message, e.getMessage().replace(System.lineSeparator(), "\n"));
        assertEquals(4, e.line(), e.positioned());
        assertTrue(e.hint().isPresent(), "a hint after ksqlDB's words: " + e.positioned());
    }

    @Test
    void theKafkaValueFormatIsRefusedUnderGroupByAndJoins() {
        String kafka = "CREATE STREAM v (k VARCHAR KEY, d VARCHAR) WITH (kafka_topic='v', value_format='KAFKA');\n";
        SqlException grouped = assertThrows(SqlException.class, () -> compile(PRELUDE + kafka
                + "CREATE TABLE o WITH (value_format='JSON') AS SELECT d, COUNT(*) AS n FROM v GROUP BY d;"));
        assertEquals("Source(s) V are using the 'KAFKA' value format. This format does not yet support GROUP BY.",
                grouped.getMessage());
        SqlException joined = assertThrows(SqlException.class, () -> compile(PRELUDE + kafka
                + "CREATE STREAM o WITH (value_format='JSON') AS SELECT v.k, d, a FROM v x JOIN s WITHIN 1 SECOND "
                + "ON x.k = s.k;"));
        assertEquals("Source(s) X are using the 'KAFKA' value format. This format does not yet support JOIN.",
                joined.getMessage());
        compile(PRELUDE + kafka + "CREATE STREAM o WITH (value_format='JSON') AS SELECT k, d FROM v WHERE d <> 'x';");
    }

    @Test
    void aSourceStreamIsReadLikeAnyOtherAndCanBeDroppedWithoutItsTopic() {
        CompiledScript script = compile(PRELUDE + "CREATE STREAM o AS SELECT * FROM r WHERE a > 1;\n"
                + "INSERT INTO s SELECT * FROM r;\n"
                + "CREATE SOURCE TABLE u (id INT PRIMARY KEY, v INT) WITH (kafka_topic='u', value_format='JSON');\n"
                + "CREATE TABLE w AS SELECT * FROM u;\n"
                + "DROP STREAM r;\nDROP STREAM IF EXISTS nothing;");
        assertEquals(3, script.queries().size());
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE SOURCE STREAM x AS SELECT * FROM y;"));
        assertTrue(e.getMessage().startsWith("CREATE SOURCE declares a read-only STREAM or TABLE"), e.getMessage());
    }

    /**
     * TOPK(sortCol, other..., k) keeps only its k rows, so it cannot take a row back: over a table it
     * is refused in ksqlDB's words (ksqlDB refuses TOPK over a table too), over a stream it compiles.
     */
    @Test
    void theStructFormOfTopkIsRefusedOverATable() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE TABLE o AS SELECT name, TOPK(id, name, 2) AS top FROM t GROUP BY name;"));
        assertEquals("The aggregation function TOPK cannot be applied to a table source, only to a stream source.",
                e.getMessage());
        assertEquals(4, e.line(), e.positioned());
        compile(PRELUDE + "CREATE TABLE o AS SELECT b, TOPK(a, b, 2) AS top FROM s GROUP BY b;");
    }

    @Test
    void whatKsqlDbAcceptsStillCompiles() {
        compile(PRELUDE + "INSERT INTO s SELECT k, a, b FROM r;\n"
                + "CREATE STREAM p AS SELECT ABS(a) AS x, b FROM s PARTITION BY ABS(s.a);\n"
                + "CREATE STREAM q AS SELECT * FROM s PARTITION BY b;\n"
                + "CREATE STREAM n AS SELECT a, b FROM s PARTITION BY NULL;\n"
                + "CREATE TABLE w AS SELECT k, COUNT(*) AS c FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k EMIT FINAL;");
    }

    /** Flink's INSERT matches by position and casts; ksqlDB's rules hold only in the ksqlDB dialect. */
    @Test
    void flinkStyleScriptsKeepTheirInsertAndGroupBy() {
        String flink = "CREATE STREAM f (id INT, name VARCHAR) WITH ('topic' = 'f', 'format' = 'json');\n"
                + "CREATE STREAM g (id BIGINT, label VARCHAR) WITH ('topic' = 'g', 'format' = 'json');\n";
        compile(flink + "INSERT INTO g SELECT id, name FROM f;\n"
                + "CREATE TABLE n AS SELECT name, COUNT(*) AS c FROM f GROUP BY name, name;");
        SqlException e = assertThrows(SqlException.class, () -> compile(flink + "INSERT INTO nowhere SELECT * FROM f;"));
        assertEquals("INSERT INTO unknown stream `nowhere`", e.getMessage());
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}
