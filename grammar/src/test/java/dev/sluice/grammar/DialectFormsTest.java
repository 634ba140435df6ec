package dev.sluice.grammar;

import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.TypeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every dialect form the project promises (Flink, ksqlDB, PostgreSQL, Snowflake flavours) parses and
 * round-trips, including forms the seeds do not happen to use.
 */
class DialectFormsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // DDL
            "CREATE STREAM s (id VARCHAR KEY, ts TIMESTAMP) WITH (KAFKA_TOPIC = 'x', VALUE_FORMAT = 'JSON', PARTITIONS = 1)",
            "CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, b INT NOT NULL DEFAULT 5, c VARCHAR NULL)",
            "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ('connector' = 'upsert-kafka')",
            "CREATE TABLE IF NOT EXISTS db.t (a INT) WITH ('format' = 'avro', 'fields' = ['a', 'b'], ratio = 0.5, enabled = true)",
            "CREATE OR REPLACE STREAM x WITH (datasource = 'kafka://h:9092/t', schema_id = 123)",
            "CREATE OR REPLACE TABLE x WITH (a = 1) AS SELECT * FROM y",
            "CREATE STREAM x WITH (KAFKA_TOPIC = 't') AS SELECT * FROM y EMIT CHANGES",
            "CREATE OR REPLACE VIEW v AS SELECT 1",
            "CREATE SOURCE STREAM s (k VARCHAR KEY, v INT) WITH (KAFKA_TOPIC = 't', VALUE_FORMAT = 'JSON')",
            "CREATE SOURCE TABLE IF NOT EXISTS t (k INT PRIMARY KEY, v INT) WITH (KAFKA_TOPIC = 't', FORMAT = 'JSON')",
            "CREATE STREAM source (source VARCHAR KEY) WITH (KAFKA_TOPIC = 'source')",
            "CREATE MATERIALIZED VIEW v AS SELECT a FROM t",
            "CREATE DYNAMIC TABLE a.b.c TARGET_LAG = '1 minute' WAREHOUSE = WH AS SELECT 1",
            "CREATE STREAM x AS WITH a AS (SELECT 1 AS one) SELECT * FROM a",
            "CREATE STREAM s (t TIMESTAMP(3), WATERMARK FOR t AS t - INTERVAL '5' SECOND) WITH ('connector' = 'kafka')",
            // other statements
            "INSERT INTO x (a, b) SELECT a, b FROM y",
            "SET 'auto.offset.reset' = 'earliest'",
            "SET parallelism.default = 10",
            "SET mode = streaming",
            "USE DATABASE x", "USE SCHEMA a.b", "USE x",
            "DESCRIBE x", "DESCRIBE TABLE EXTENDED x", "DESC DYNAMIC TABLE a.b",
            "SHOW STREAMS", "SHOW TABLES", "SHOW QUERIES", "SHOW TOPICS", "SHOW FUNCTIONS",
            "SHOW VIEWS LIKE 'V_TEMPLATE%' IN SCHEMA FLAKEBENCH.TEST_RESULTS", "SHOW MATERIALIZED VIEWS",
            "SHOW CREATE TABLE t", "SHOW TABLE HEALTH t",
            "EXPLAIN SELECT * FROM t", "EXPLAIN CREATE STREAM x AS SELECT * FROM t",
            "ALTER STREAM s SET parallelism = 20", "ALTER TABLE t SET ('a' = 'b', c = 1)",
            "ALTER STREAM s RESUME", "ALTER DYNAMIC TABLE d SUSPEND", "ALTER STREAM s RESET OFFSET TO 'earliest'",
            "ALTER TABLE t ALTER COLUMN c SET DATA TYPE BIGINT", "ALTER STREAM s ADD promo VARCHAR(50), DROP old",
            "DROP TABLE t", "DROP VIEW IF EXISTS v", "DROP DYNAMIC TABLE a.b", "DROP STREAM s DELETE TOPIC",
            "COMMENT ON STREAM s IS 'raw clicks'", "COMMENT ON TABLE t IS ''",
            // queries: relations
            "SELECT * FROM a, b WHERE a.k = b.k",
            "SELECT * FROM a CROSS JOIN b",
            "SELECT * FROM a RIGHT OUTER JOIN b ON a.k = b.k FULL JOIN c ON b.k = c.k LEFT OUTER JOIN d ON TRUE",
            "SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k",
            "SELECT s.x FROM (SELECT 1 AS x) AS s",
            "SELECT * FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR)) AS w",
            "SELECT * FROM 'kafka://broker1:9092,broker2:9092/events' WITH (format = 'custom', batch_size = 1000)",
            "SELECT * FROM 'parquet://s3://bucket/orders/*.parquet' WHERE status = 'completed' AND amount > 100 WITH (projection_pushdown = true)",
            "SELECT * FROM SYSTEM.STREAMS",
            // queries: streaming clauses
            "SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 5 MINUTES, RETENTION 7 DAYS, GRACE PERIOD 30 SECONDS) GROUP BY k EMIT FINAL",
            "SELECT * FROM s EMIT CHANGES LIMIT 5",
            "SELECT * FROM s LIMIT 5 EMIT CHANGES",
            "SELECT * FROM a JOIN b WITHIN 1 HOUR ON a.k = b.k",
            "SELECT a FROM t INTO sink_table",
            // queries: set operations and subqueries
            "(SELECT 1) UNION (SELECT 2)",
            "SELECT 1 INTERSECT SELECT 2 EXCEPT SELECT 3",
            "SELECT a FROM t WHERE a IN (SELECT a FROM u) AND EXISTS (SELECT 1 FROM v) AND (SELECT MAX(x) FROM w) > 1",
            "SELECT *, cost_usd * 2 AS double_cost FROM t",
            // expressions
            "SELECT COUNT(*) FILTER (WHERE x > 1) OVER (PARTITION BY y) FROM t",
            "SELECT SUM(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t",
            "SELECT AVG(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM t",
            "SELECT x IS NOT FALSE, NOT x IN (1), -(-1), 1e3, .5, 2.5E-3, ARRAY['a', 'b'], tags[0] FROM t",
            "SELECT \"Weird \"\"Name\"\"\", `back``tick` FROM t",
            "SELECT a::TIMESTAMP(3) WITH TIME ZONE, CAST(b AS ARRAY<STRUCT<x INT>>), c::DOUBLE PRECISION FROM t",
            "SELECT CURRENT_DATE, CURRENT_TIMESTAMP, NOW() FROM t",
            "SELECT (payload -> 'a') ->> 'b', payload->>'c' FROM t",
            "SELECT v:a.b::VARCHAR, v:\"weird key\"::INT FROM t",
            "SELECT INTERVAL 5 MINUTE, DATE '2024-01-15', TIME '10:00:00' FROM t",
            "SELECT a FROM t WHERE b != c AND d == e",
            "SELECT STRUCT(a := 1, b := 'x'), MAP('k' := 1, 'j' := x + 1), STRUCT(), ARRAY[STRUCT(c := MAP())] FROM t",
            "SELECT k1, v1->*, i.`V1`->a->*, v1->a AS x FROM t AS i",
    })
    void parsesAndRoundTrips(String sql) {
        RoundTripTest.assertRoundTrips(SqlParser.parseStatement(sql));
    }

    @Test
    void keywordsAreCaseInsensitiveAndCommentsAreIgnored() {
        Statement lower = SqlParser.parseStatement("""
                select /* a
                   block comment */ a from t -- trailing
                where a = 1 group by a""");
        Statement upper = SqlParser.parseStatement("SELECT a FROM t WHERE a = 1 GROUP BY a");
        assertEquals(upper, lower);
    }

    @Test
    void everyTypeNameOfTheDialectParses() {
        Statement statement = SqlParser.parseStatement("""
                CREATE STREAM t (a VARCHAR, b VARCHAR(10), c STRING, d BOOLEAN, e INTEGER, f INT, g BIGINT,
                  h SMALLINT, i TINYINT, j DOUBLE, k FLOAT, l REAL, m DECIMAL(10,2), n NUMERIC, o TIMESTAMP,
                  p TIMESTAMP(3), q TIMESTAMP WITH TIME ZONE, r TIMESTAMP(3) WITH LOCAL TIME ZONE, s DATE,
                  u BYTES, v JSON, w VARIANT, x ARRAY<INT>, y MAP<VARCHAR, ARRAY<INT>>,
                  z STRUCT<a INT, b STRUCT<c INT>>)""");
        List<TypeSpec> types = ((Statement.CreateSource) statement).columns().stream()
                .map(ColumnDefinition::type).toList();
        List<String> named = types.stream().filter(t -> t instanceof TypeSpec.Named)
                .map(t -> ((TypeSpec.Named) t).name() + ((TypeSpec.Named) t).parameters()).toList();
        assertEquals(List.of("VARCHAR[]", "VARCHAR[10]", "STRING[]", "BOOLEAN[]", "INTEGER[]", "INT[]", "BIGINT[]",
                "SMALLINT[]", "TINYINT[]", "DOUBLE[]", "FLOAT[]", "REAL[]", "DECIMAL[10, 2]", "NUMERIC[]",
                "TIMESTAMP[]", "TIMESTAMP[3]", "TIMESTAMP WITH TIME ZONE[]", "TIMESTAMP WITH LOCAL TIME ZONE[3]",
                "DATE[]", "BYTES[]", "JSON[]", "VARIANT[]"), named);
        assertEquals(25, types.size());
        RoundTripTest.assertRoundTrips(statement);
    }
}
