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
 * In the ksqlDB dialect a statement ksqlDB refuses is refused with ksqlDB's message (what its
 * users search for), at Sluice's position on the offending line, with a hint. Each case is compiled
 * after two declarations (lines 1 and 2), so the statement under test is on line 3.
 */
class KsqlErrorsTest {
    private static final String PRELUDE = ""
            + "CREATE STREAM s (k VARCHAR KEY, a INT, b VARCHAR, m MAP<VARCHAR, INT>) "
            + "WITH (kafka_topic='s', value_format='JSON');\n"
            + "CREATE TABLE t (id INT PRIMARY KEY, f2 INT, name VARCHAR) WITH (kafka_topic='t', value_format='JSON');\n";

    static Stream<Arguments> refusals() {
        return Stream.of(
                // ---- system column names (Analyzer, CreateSourceFactory) ---------------------------
                arguments("CREATE STREAM o AS SELECT k, ROWTIME FROM s;",
                        "Reserved column name in select: `ROWTIME`. Please remove or alias the column."),
                arguments("CREATE STREAM o AS SELECT k, a AS ROWPARTITION FROM s;",
                        "`ROWPARTITION` is a reserved column name. You cannot use it as an alias for a column."),
                arguments("INSERT INTO s SELECT k, WINDOWSTART, b, m FROM s;",
                        "Reserved column name in select: `WINDOWSTART`. Please remove or alias the column."),
                arguments("CREATE STREAM x (k INT KEY, ROWOFFSET BIGINT) WITH (kafka_topic='x', value_format='JSON');",
                        "'ROWOFFSET' is a reserved column name. You cannot use it as a name for a column."),
                // ---- keys of streams and tables (CreateStream, CreateTable, GenericKeySerDe) -------
                arguments("CREATE STREAM x (id INT PRIMARY KEY, v INT) WITH (kafka_topic='x', value_format='JSON');",
                        "Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams."),
                arguments("CREATE TABLE x (id INT KEY, v INT) WITH (kafka_topic='x', value_format='JSON');",
                        "Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables."),
                arguments("CREATE TABLE x (id INT, v INT) WITH (kafka_topic='x', value_format='JSON');",
                        "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."),
                arguments("CREATE STREAM x (v INT) WITH (kafka_topic='x', value_format='JSON', window_type='SESSION');",
                        "Windowed sources require a key column."),
                arguments("CREATE STREAM x (k MAP<VARCHAR, DOUBLE> KEY, v INT) WITH (kafka_topic='x', format='JSON');",
                        "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                                + "behavior due to inconsistent serialization. Key column name: `K`. Column type: "
                                + "MAP<STRING, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more."),
                arguments("CREATE TABLE o WITH (format='JSON') AS SELECT m, COUNT(*) AS c FROM s GROUP BY m;",
                        "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                                + "behavior due to inconsistent serialization. Key column name: `M`. Column type: "
                                + "MAP<STRING, INTEGER>. See https://github.com/confluentinc/ksql/issues/6621 for more."),
                arguments("CREATE STREAM o AS SELECT * FROM s PARTITION BY STRUCT(f := MAP(k := b));",
                        "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                                + "behavior due to inconsistent serialization. Key column name: `KSQL_COL_0`. Column type: "
                                + "STRUCT<`F` MAP<STRING, STRING>>. See https://github.com/confluentinc/ksql/issues/6621 for more."),
                // ---- projections (FinalProjectNode, LogicalSchema) ---------------------------------
                arguments("CREATE STREAM o AS SELECT k FROM s;", "The projection contains no value columns."),
                arguments("CREATE TABLE o AS SELECT b AS c, COUNT(*) AS c FROM s GROUP BY b;",
                        "Duplicate value columns found in schema: `C` BIGINT"),
                arguments("CREATE STREAM o AS SELECT k, k AS k2, a FROM s;",
                        "The projection contains a key column (`K`) more than once, aliased as: K and K2."),
                // ---- aggregations (AggregateAnalyzer) ----------------------------------------------
                arguments("CREATE TABLE o AS SELECT b, a + 1 AS x, COUNT(*) AS c FROM s GROUP BY b;",
                        "Non-aggregate SELECT expression(s) not part of GROUP BY: (A + 1)\n"
                                + "Either add the column(s) to the GROUP BY or remove them from the SELECT."),
                arguments("CREATE TABLE o AS SELECT b, COUNT(*) AS c FROM s GROUP BY b HAVING a > 1;",
                        "Non-aggregate HAVING expression not part of GROUP BY: A\n"
                                + "Consider switching the HAVING clause to a WHERE clause before the GROUP BY."),
                arguments("CREATE TABLE o AS SELECT SUBSTRING(b, 1, 2) AS x FROM s GROUP BY a;",
                        "GROUP BY requires aggregate functions in either the SELECT or HAVING clause."),
                arguments("CREATE TABLE o AS SELECT k, COUNT(*) AS c FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k "
                                + "HAVING WINDOWSTART > 0;",
                        "Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations "
                                + "and can not be passed to aggregate functions.\n"
                                + "See https://github.com/confluentinc/ksql/issues/4397"),
                // ---- names (ColumnReferenceValidator, AstBuilder) ----------------------------------
                arguments("CREATE STREAM o AS SELECT k, bob FROM s;", "SELECT column 'BOB' cannot be resolved."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE bob > 1;", "WHERE column 'BOB' cannot be resolved."),
                arguments("CREATE STREAM o AS SELECT x.* FROM s;", "'X' is not a valid stream/table name or alias."),
                // ---- types (ExpressionTypeManager, InPredicate coercion, CastEvaluator, UdfIndex) --
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE a >= 'x';",
                        "Error in WHERE expression: Cannot compare A (INTEGER) to 'x' (STRING) with GREATER_THAN_OR_EQUAL."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE a IN (1, 'two');",
                        "Invalid Predicate: invalid input syntax for type INTEGER: \"two\"."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE a IN (1, b);",
                        "Invalid Predicate: operator does not exist: INTEGER = STRING (B)\n"
                                + "Hint: You might need to add explicit type casts."),
                // the list's type is the widest so far: 10.5 made the INTEGER a DECIMAL(11, 1)
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE a IN (10.5, true);",
                        "Invalid Predicate: operator does not exist: DECIMAL(11, 1) = BOOLEAN (true)\n"
                                + "Hint: You might need to add explicit type casts."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE m IN (MAP('x' := 'y1'));",
                        "Invalid Predicate: invalid input syntax for type INTEGER: \"y1\"."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE m IN (ARRAY[a]);",
                        "Invalid Predicate: operator does not exist: MAP<STRING, INTEGER> = ARRAY<INTEGER> (ARRAY[A])\n"
                                + "Hint: You might need to add explicit type casts."),
                arguments("CREATE STREAM o AS SELECT k, MAP(b := a, 'c' := 'no') AS x FROM s;",
                        "invalid input syntax for type INTEGER: \"no\"."),
                arguments("CREATE STREAM o AS SELECT k, CAST(b AS ARRAY<INT>) AS x FROM s;",
                        "Invalid Select: Cast of STRING to ARRAY<INTEGER> is not supported"),
                arguments("CREATE STREAM o AS SELECT k, WONT_FIND_ME(a) AS x FROM s;",
                        "Can't find any functions with the name 'WONT_FIND_ME'"),
                arguments("CREATE STREAM o AS SELECT k, GREATEST(b, a) AS x FROM s;",
                        "Function 'greatest' does not accept parameters (STRING, INTEGER)."),
                // ---- joins (JoinNode, Analyzer) -----------------------------------------------------
                arguments("CREATE STREAM o AS SELECT s.k, t.name FROM s JOIN t ON s.a = t.f2;",
                        "Invalid join condition: stream-table joins require to join on the table's primary key. "
                                + "Got S.A = T.F2."),
                arguments("CREATE STREAM o AS SELECT s.k, t.name FROM t JOIN s ON s.a = t.id;",
                        "Invalid join order: table-stream joins are not supported; only stream-table joins. "
                                + "Got T [INNER] JOIN S."),
                arguments("CREATE STREAM o AS SELECT s.k, t.name FROM s JOIN t ON t.id = 0;",
                        "Invalid comparison expression '0' in join '(T.ID = 0)'. Each side of the join comparision "
                                + "must contain references from exactly one source."),
                arguments("CREATE TABLE o AS SELECT b, SUM(COUNT(*)) AS x FROM s GROUP BY b;",
                        "Aggregate functions can not be nested: SUM(COUNT())"),
                arguments("CREATE STREAM o AS SELECT k, ARRAY[NULL, NULL] AS x FROM s;",
                        "Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/"
                                + "issues/4239). As a workaround, you may cast a NULL value to the desired type."),
                arguments("CREATE STREAM o AS SELECT k, MAP(NULL := 1) AS x FROM s;",
                        "Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/"
                                + "4239). As a workaround, you may cast a NULL key to the desired type."),
                // ---- formats (FormatFactory, NoneFormat, SerdeFeaturesFactory, schema translators) --
                arguments("CREATE STREAM x (k INT KEY, f0 INT, f1 INT) WITH (WRAP_SINGLE_VALUE=true, kafka_topic='x', "
                                + "value_format='JSON');",
                        "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"),
                arguments("CREATE STREAM x (k INT KEY, f0 INT) WITH (WRAP_SINGLE_VALUE=true, kafka_topic='x', "
                                + "value_format='DELIMITED');",
                        "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'."),
                arguments("CREATE STREAM x (f MAP<INT, DOUBLE>) WITH (kafka_topic='x', value_format='AVRO');",
                        "Avro only supports MAPs with STRING keys"),
                arguments("CREATE STREAM o AS SELECT k, MAP(a := b) AS x FROM s;",
                        "JSON only supports MAP types with STRING keys"),
                arguments("CREATE STREAM x (k INT KEY, v INT) WITH (kafka_topic='x', value_format='FOO');",
                        "Unknown format: FOO"),
                arguments("CREATE STREAM x (k INT KEY, v INT) WITH (kafka_topic='x', key_format='NONE', "
                                + "value_format='JSON');",
                        "The 'NONE' format can only be used when no columns are defined. Got: [`K` INTEGER KEY]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithKsqlDbsWordsOnTheStatementsLine(String statement, String message) {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE + statement));
        assertEquals(message, e.getMessage());
        assertEquals(3, e.line(), e.positioned());
        assertTrue(e.hint().isPresent(), "a hint after ksqlDB's words: " + e.positioned());
    }

    @Test
    void anAggregateWithStructuredStateIsRefusedOverADelimitedSource() {
        String delimited = "CREATE STREAM d (id VARCHAR KEY, v INT) WITH (kafka_topic='d', value_format='DELIMITED');\n";
        SqlException e = assertThrows(SqlException.class, () -> compile(delimited
                + "CREATE TABLE o AS SELECT id, COUNT(*) AS c, AVG(v) AS a FROM d GROUP BY id;"));
        assertEquals("One of the functions used in the statement has an intermediate type that the value format can "
                + "not handle. Please remove the function or change the format.", e.getMessage());
        assertEquals(2, e.line(), e.positioned());
        compile(delimited + "CREATE TABLE o AS SELECT id, COUNT(*) AS c, SUM(v) AS s FROM d GROUP BY id;");
    }

    @Test
    void aSyntaxErrorInAKsqlDbScriptLeadsWithKsqlDbsWordsAndKeepsSluicesAccount() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE STREAM x (k INT KEY, v NULL) WITH (kafka_topic='x', value_format='JSON');"));
        assertEquals(3, e.line());
        assertEquals("Syntax Error\nSyntax error at or near 'NULL' at line 3:31", e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("syntax error at 'NULL'"), e.hint().toString());
        SqlException flink = assertThrows(SqlException.class, () -> compile("SELECT * FORM events"));
        assertTrue(flink.getMessage().startsWith("syntax error at 'FORM'"), flink.getMessage());
    }

    @Test
    void whatKsqlDbAcceptsStillCompiles() {
        compile(PRELUDE + "CREATE STREAM o AS SELECT k, ROWTIME AS rt, a FROM s;\n"
                + "CREATE TABLE c AS SELECT b, COUNT(*) AS n FROM s GROUP BY b HAVING COUNT(*) > 1;\n"
                + "CREATE TABLE w AS SELECT k, WINDOWSTART AS ws, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) "
                + "GROUP BY k;\n"
                + "CREATE TABLE e AS SELECT a + 1 AS x, COUNT(*) AS n FROM s GROUP BY a + 1;\n"
                + "CREATE STREAM j AS SELECT s.k, s.a, t.name FROM s JOIN t ON s.a = t.id;\n"
                + "CREATE STREAM p AS SELECT ABS(a) AS x, b FROM s PARTITION BY ABS(a);");
    }

    /** The same mistakes in Flink's dialect keep Sluice's words: these rules are ksqlDB's. */
    @Test
    void flinkStyleScriptsAreNotHeldToKsqlDbsRules() {
        String flink = "CREATE STREAM f (id INT, rowoffset BIGINT, name VARCHAR) WITH ('topic' = 'f', 'format' = 'json');\n";
        compile(flink + "CREATE TABLE n AS SELECT name, COUNT(*) AS c FROM f GROUP BY name;");
        SqlException e = assertThrows(SqlException.class, () -> compile(flink + "SELECT bob FROM f"));
        assertEquals("line 2:8: unknown column `bob`", e.positioned());
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }
}
