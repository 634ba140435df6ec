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
                        "The 'NONE' format can only be used when no columns are defined. Got: [`K` INTEGER KEY]"),
                // a table's PRIMARY KEY is listed as KEY too, as ksqlDB's column list writes it
                arguments("CREATE TABLE x (id INT PRIMARY KEY, v INT) WITH (kafka_topic='x', key_format='NONE', "
                                + "value_format='JSON');",
                        "The 'NONE' format can only be used when no columns are defined. Got: [`ID` INTEGER KEY]"),
                arguments("CREATE STREAM x (k BOOLEAN KEY, v INT) WITH (kafka_topic='x', value_format='JSON');",
                        "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN "
                                + "KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'"),
                arguments("CREATE STREAM x (k1 INT KEY, k2 INT KEY, v INT) WITH (kafka_topic='x', value_format='JSON', "
                                + "key_format='KAFKA');",
                        "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K1` INTEGER "
                                + "KEY, `K2` INTEGER KEY], features=[]}\nreason: The 'KAFKA' format only supports a single "
                                + "field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]"),
                arguments("CREATE STREAM x (k INT KEY, v INT) WITH (kafka_topic='x');",
                        "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or "
                                + "set a default via the 'ksql.persistence.default.format.value' config."),
                arguments("CREATE STREAM x (k INT KEY, v INT) WITH (kafka_topic='x', value_format='JSON', "
                                + "VALUE_AVRO_SCHEMA_FULL_NAME='a.B');",
                        "JSON does not support the following configs: [fullSchemaName]"),
                arguments("CREATE STREAM x (k INT KEY, v INT) WITH (kafka_topic='x', value_format='AVRO', "
                                + "VALUE_AVRO_SCHEMA_FULL_NAME=' ');",
                        "fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}"),
                arguments("CREATE STREAM x (k INT KEY, `1st` DOUBLE) WITH (kafka_topic='x', value_format='AVRO');",
                        "Schema is not compatible with Avro: Illegal initial character: 1st"),
                // ---- expression types (FilterTypeValidator, Operator, ComparisonUtil, SelectionUtil) ----
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE b;",
                        "Type error in WHERE expression: Should evaluate to boolean but is B (STRING) instead."),
                arguments("CREATE STREAM o AS SELECT k, a FROM s WHERE true + 1.5;",
                        "Error in WHERE expression: Error processing expression: (true + 1.5). Unsupported arithmetic "
                                + "types. BOOLEAN DECIMAL"),
                // after a join ksqlDB names a column by its source and name
                arguments("CREATE STREAM o AS SELECT s.k, s.a, t.name FROM s JOIN t ON s.a = t.id WHERE s.a > t.name;",
                        "Error in WHERE expression: Cannot compare S_A (INTEGER) to T_NAME (STRING) with GREATER_THAN."),
                arguments("CREATE STREAM o AS SELECT k, NULL <> NULL AS x FROM s;",
                        "Comparison with NULL not supported: NULL <> NULL\nUse 'IS NULL' or 'IS NOT NULL' instead."),
                arguments("CREATE STREAM o AS SELECT k, NULL AS x FROM s;",
                        "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS "
                                + "VARCHAR)."),
                arguments("CREATE STREAM o AS SELECT k, CASE WHEN a < 2 THEN NULL ELSE NULL END AS x FROM s;",
                        "Invalid Case expression. All case branches have NULL type"),
                arguments("CREATE STREAM o AS SELECT k, GREATEST(a, CAST(a AS BIGINT)) AS x FROM s;",
                        "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT)."),
                arguments("CREATE STREAM o AS SELECT k, LEAST(NULL, NULL) AS x FROM s;",
                        "Function 'least' cannot be resolved due to ambiguous method parameters (null, null)."),
                arguments("CREATE STREAM o AS SELECT k, EXPLODE(m) AS x FROM s;",
                        "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:"
                                + "\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)"),
                // ---- aggregates (SchemaKGroupedTable, UdafUtil, the WHERE's columns) -----------------
                arguments("CREATE TABLE o AS SELECT id, LATEST_BY_OFFSET(f2) AS l, MIN(f2) AS mn, COUNT(*) AS c FROM t "
                                + "GROUP BY id;",
                        "The aggregation functions LATEST_BY_OFFSET and MIN cannot be applied to a table source, only "
                                + "to a stream source."),
                arguments("CREATE TABLE o AS SELECT k, EARLIEST_BY_OFFSET(a, a) AS e FROM s GROUP BY k;",
                        "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was "
                                + "expression: 'A'"),
                arguments("CREATE TABLE o AS SELECT k, COUNT(*) AS c FROM s WINDOW TUMBLING (SIZE 1 SECOND) "
                                + "WHERE MIN(WINDOWEND) < 5 GROUP BY k;",
                        "Error in WHERE expression: Unknown column WINDOWEND."));
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

    /** ksqlDB builds the query before it finds the key format wanting, and quotes the statement as it writes it. */
    @Test
    void aSinkKeyTheKafkaFormatCannotCarryQuotesTheStatement() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE TABLE o AS SELECT a, b, a + 1, COUNT(*) FROM s GROUP BY a, b;"));
        assertEquals("Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`A` INTEGER KEY, "
                + "`B` STRING KEY], features=[]}\nreason: The 'KAFKA' format only supports a single field. Got: [`A` "
                + "INTEGER KEY, `B` STRING KEY]\nStatement: CREATE TABLE O AS SELECT\n  S.A A,\n  S.B B,\n  (S.A + 1) "
                + "KSQL_COL_0,\n  COUNT(*) KSQL_COL_1\nFROM S S\nGROUP BY S.A, S.B\nEMIT CHANGES", e.getMessage());
        assertEquals(3, e.line());
        // a key format that carries them, named or set as the server's default, compiles
        compile(PRELUDE + "CREATE TABLE o WITH (key_format='JSON') AS SELECT a, b, COUNT(*) AS c FROM s GROUP BY a, b;");
        compile("SET 'ksql.persistence.default.format.key' = 'JSON';\n" + PRELUDE
                + "CREATE TABLE o AS SELECT a, b, COUNT(*) AS c FROM s GROUP BY a, b;");
        SqlException delimited = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE TABLE o WITH (key_format='DELIMITED') AS SELECT STRUCT(x := a) AS ROWKEY, COUNT(*) AS c "
                + "FROM s GROUP BY STRUCT(x := a);"));
        assertTrue(delimited.getMessage().contains("reason: The 'DELIMITED' format does not support type 'STRUCT', "
                + "column: `ROWKEY`"), delimited.getMessage());
    }

    @Test
    void joinedSourcesOfDifferentPartitionCountsAreRefused() {
        String sources = "CREATE STREAM a (id INT KEY, v INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);\n"
                + "CREATE TABLE b (id INT PRIMARY KEY, w INT) WITH (kafka_topic='b', value_format='JSON', partitions=1);\n"
                + "CREATE TABLE c (id INT PRIMARY KEY, x INT) WITH (kafka_topic='c', value_format='JSON', partitions=2);\n";
        SqlException e = assertThrows(SqlException.class, () -> compile(sources
                + "CREATE STREAM o AS SELECT * FROM a JOIN b ON a.id = b.id JOIN c ON a.id = c.id;"));
        assertEquals("Can't join `A` with `C` since the number of partitions don't match. `A` partitions = 1; `C` "
                + "partitions = 2. Please repartition either one so that the number of partitions match.", e.getMessage());
        assertEquals(4, e.line());
        compile(sources + "CREATE STREAM o AS SELECT * FROM a JOIN b ON a.id = b.id;");
    }

    @Test
    void aStructOfTwoSameNamedFieldsIsRefused() {
        SqlException e = assertThrows(SqlException.class, () -> compile(PRELUDE
                + "CREATE STREAM o AS SELECT k, STRUCT(f := a, f := b) AS x FROM s;"));
        assertTrue(e.getMessage().startsWith("Duplicate field names found in STRUCT"), e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void whatKsqlDbAcceptsStillCompiles() {
        compile(PRELUDE + "CREATE STREAM o AS SELECT k, ROWTIME AS rt, a FROM s;\n"
                + "CREATE TABLE c AS SELECT b, COUNT(*) AS n FROM s GROUP BY b HAVING COUNT(*) > 1;\n"
                + "CREATE TABLE w AS SELECT k, WINDOWSTART AS ws, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) "
                + "GROUP BY k;\n"
                + "CREATE TABLE e AS SELECT a + 1 AS x, COUNT(*) AS n FROM s GROUP BY a + 1;\n"
                + "CREATE STREAM j AS SELECT s.k, s.a, t.name FROM s JOIN t ON s.a = t.id;\n"
                + "CREATE STREAM p AS SELECT ABS(a) AS x, b FROM s PARTITION BY ABS(a);\n"
                + "CREATE TABLE g AS SELECT name, COUNT(*) AS n, SUM(f2) AS total FROM t GROUP BY name;\n"
                + "CREATE STREAM q AS SELECT k, GREATEST(a, 2, NULL) AS x, LEAST(1.5, CAST(a AS DOUBLE)) AS y FROM s "
                + "WHERE a IS NOT NULL;\n"
                + "CREATE STREAM n WITH (key_format='NONE') AS SELECT * FROM s PARTITION BY NULL;");
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
