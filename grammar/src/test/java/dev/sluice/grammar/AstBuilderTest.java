package dev.sluice.grammar;

import dev.sluice.grammar.ast.AlterAction;
import dev.sluice.grammar.ast.ColumnDefinition;
import dev.sluice.grammar.ast.Duration;
import dev.sluice.grammar.ast.Emit;
import dev.sluice.grammar.ast.Expression;
import dev.sluice.grammar.ast.Expression.BinaryOperator;
import dev.sluice.grammar.ast.JoinWithin;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.grammar.ast.Query;
import dev.sluice.grammar.ast.QueryBody;
import dev.sluice.grammar.ast.Relation;
import dev.sluice.grammar.ast.Script;
import dev.sluice.grammar.ast.Statement;
import dev.sluice.grammar.ast.Statement.ObjectKind;
import dev.sluice.grammar.ast.TypeSpec;
import dev.sluice.grammar.ast.Watermark;
import dev.sluice.grammar.ast.WindowClause;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.sluice.grammar.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Statements parse to exactly the AST written here by hand. */
class AstBuilderTest {

    private static Statement parse(String sql) {
        return SqlParser.parseStatement(sql);
    }

    private static Query queryOf(String sql) {
        return ((Statement.QueryStatement) parse(sql)).query();
    }

    @Test
    void createStreamWithRowtimeWatermarkAndConnectorOptions() {
        Statement actual = parse("""
                CREATE STREAM feedback_events (
                    event_id VARCHAR,
                    labels MAP<VARCHAR, VARCHAR>,
                    event_time TIMESTAMP ROWTIME,
                    WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND
                )
                WITH ('connector' = 'kafka', 'topic' = 'llm-feedback')""");
        Statement expected = new Statement.CreateSource(ObjectKind.STREAM, name("feedback_events"), false, false,
                List.of(new ColumnDefinition(id("event_id"), type("VARCHAR"), false, false, false, false, Optional.empty(), L),
                        new ColumnDefinition(id("labels"), new TypeSpec.Map(type("VARCHAR"), type("VARCHAR"), L),
                                false, false, false, false, Optional.empty(), L),
                        new ColumnDefinition(id("event_time"), type("TIMESTAMP"), true, false, false, false,
                                Optional.empty(), L)),
                List.of(),
                Optional.of(new Watermark(id("event_time"),
                        binary(BinaryOperator.MINUS, col("event_time"), interval("30", "SECOND")), L)),
                List.of(property("connector", str("kafka")), property("topic", str("llm-feedback"))), L);
        assertEquals(expected, actual);
    }

    @Test
    void createTableWithKeysNestedTypesDefaultsAndKsqlOptions() {
        Statement actual = parse("""
                CREATE TABLE IF NOT EXISTS users (
                    id BIGINT NOT NULL PRIMARY KEY,
                    region VARCHAR(8) KEY,
                    amount DECIMAL(10,2) DEFAULT 0.0,
                    created_at TIMESTAMP(3) WITH LOCAL TIME ZONE,
                    orders ARRAY<STRUCT<order_id BIGINT, items ARRAY<VARCHAR>>>,
                    PRIMARY KEY (id, region) NOT ENFORCED
                ) WITH (KAFKA_TOPIC = 'users', VALUE_FORMAT = 'JSON', partitions = 3, compacted = true)""");
        TypeSpec orders = new TypeSpec.Array(new TypeSpec.Struct(List.of(
                new TypeSpec.Field(id("order_id"), type("BIGINT")),
                new TypeSpec.Field(id("items"), new TypeSpec.Array(type("VARCHAR"), L))), L), L);
        Statement expected = new Statement.CreateSource(ObjectKind.TABLE, name("users"), false, true,
                List.of(new ColumnDefinition(id("id"), type("BIGINT"), false, true, true, false, Optional.empty(), L),
                        new ColumnDefinition(id("region"), type("VARCHAR", 8), false, false, false, true, Optional.empty(), L),
                        new ColumnDefinition(id("amount"), type("DECIMAL", 10, 2), false, false, false, false,
                                Optional.of(num("0.0")), L),
                        new ColumnDefinition(id("created_at"), type("TIMESTAMP WITH LOCAL TIME ZONE", 3), false, false,
                                false, false, Optional.empty(), L),
                        new ColumnDefinition(id("orders"), orders, false, false, false, false, Optional.empty(), L)),
                List.of(id("id"), id("region")), Optional.empty(),
                List.of(property("KAFKA_TOPIC", str("users")), property("VALUE_FORMAT", str("JSON")),
                        property("partitions", num("3")), property("compacted", bool(true))), L);
        assertEquals(expected, actual);
    }

    @Test
    void tumblingGroupWindowIsAPlainFunctionCall() {
        Query actual = queryOf("""
                SELECT model_name, TUMBLE_START(event_time, INTERVAL '5' MINUTE) as window_start, COUNT(*) as n
                FROM feedback_events
                WHERE latency_ms > 5000 AND model_name = 'gpt-4'
                GROUP BY model_name, TUMBLE(event_time, INTERVAL '5' MINUTE)
                EMIT AFTER WATERMARK + INTERVAL '2' MINUTE""");
        Query expected = new Query(List.of(), select(
                item(col("model_name")),
                item(call("TUMBLE_START", col("event_time"), interval("5", "MINUTE")), "window_start"),
                item(countStar(), "n"))
                .from(table("feedback_events", null))
                .where(binary(BinaryOperator.AND,
                        binary(BinaryOperator.GT, col("latency_ms"), num("5000")),
                        binary(BinaryOperator.EQ, col("model_name"), str("gpt-4"))))
                .groupBy(col("model_name"), call("TUMBLE", col("event_time"), interval("5", "MINUTE")))
                .build(), List.of(), Optional.empty(),
                Optional.of(new Emit(Emit.Kind.AFTER_WATERMARK, Optional.of(interval("2", "MINUTE")), L)), L);
        assertEquals(expected, actual);
    }

    @Test
    void uriSourcesJoinsSinksAndTrailingOptionsBelongToTheSelectBlock() {
        Statement actual = parse("""
                CREATE STREAM enriched AS
                SELECT o.*, p.product_name
                FROM 'kafka://localhost:9092/orders' o
                LEFT JOIN 'postgresql://localhost/products?table=products' p ON o.product_id = p.id
                INTO 'kafka://localhost:9092/out', 'file:///archive/${date}/'
                WITH (cache_ttl = '5 minutes', partition_by = ['year', 'month'], header = true)""");
        Relation from = new Relation.Join(Relation.JoinType.LEFT,
                new Relation.UriSource("kafka://localhost:9092/orders", Optional.of(id("o")), L),
                new Relation.UriSource("postgresql://localhost/products?table=products", Optional.of(id("p")), L),
                Optional.of(binary(BinaryOperator.EQ, col("o", "product_id"), col("p", "id"))), Optional.empty(), L);
        QueryBody body = select(
                new dev.sluice.grammar.ast.SelectItem.AllColumns(Optional.of(name("o")), L),
                item(col("p", "product_name")))
                .from(from)
                .into("kafka://localhost:9092/out", "file:///archive/${date}/")
                .options(property("cache_ttl", str("5 minutes")),
                        property("partition_by", new Expression.ArrayConstructor(List.of(str("year"), str("month")), L)),
                        property("header", bool(true)))
                .build();
        Statement expected = new Statement.CreateAsSelect(ObjectKind.STREAM, name("enriched"), false, false, false,
                List.of(), List.of(), query(body), L);
        assertEquals(expected, actual);
    }

    @Test
    void dynamicTableWithSnowflakeOptionsVariantPathsAndWithinGroup() {
        Statement actual = parse("""
                CREATE OR ALTER DYNAMIC TABLE FLAKEBENCH.TEST_RESULTS.DT
                    TARGET_LAG = '1 minute'
                    WAREHOUSE = FLAKEBENCH_WH
                AS
                SELECT TEST_CONFIG:scenario:name::VARCHAR AS template_name,
                       PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY QPS) AS p95_qps,
                       DATE_TRUNC('DAY', START_TIME)::DATE AS run_date
                FROM FLAKEBENCH.TEST_RESULTS.TEST_RESULTS""");
        Expression path = new Expression.Cast(
                new Expression.VariantPath(col("TEST_CONFIG"), List.of("scenario", "name"), L),
                type("VARCHAR"), false, true, L);
        Expression percentile = new Expression.FunctionCall(dev.sluice.grammar.ast.QualifiedName.of("PERCENTILE_CONT"),
                List.of(num("0.95")), false, false, List.of(), List.of(asc(col("QPS"))), Optional.empty(),
                Optional.empty(), L);
        Expression day = new Expression.Cast(call("DATE_TRUNC", str("DAY"), col("START_TIME")), type("DATE"),
                false, true, L);
        Statement expected = new Statement.CreateAsSelect(ObjectKind.DYNAMIC_TABLE,
                name("FLAKEBENCH", "TEST_RESULTS", "DT"), false, true, false, List.of(),
                List.of(property("TARGET_LAG", str("1 minute")), property("WAREHOUSE", col("FLAKEBENCH_WH"))),
                query(select(item(path, "template_name"), item(percentile, "p95_qps"), item(day, "run_date"))
                        .from(table("FLAKEBENCH.TEST_RESULTS.TEST_RESULTS", null)).build()), L);
        assertEquals(expected, actual);
    }

    @Test
    void ksqlWindowJoinWithinAndEmitChanges() {
        Query actual = queryOf("""
                SELECT a.k, COUNT(*) FROM a
                JOIN b WITHIN (10 SECONDS, 1 MINUTE) GRACE PERIOD 5 SECONDS ON a.k = b.k
                WINDOW HOPPING (SIZE 15 MINUTES, ADVANCE BY 1 MINUTE, GRACE PERIOD 30 SECONDS)
                GROUP BY a.k
                EMIT CHANGES""");
        Relation join = new Relation.Join(Relation.JoinType.INNER, table("a", null), table("b", null),
                Optional.of(binary(BinaryOperator.EQ, col("a", "k"), col("b", "k"))),
                Optional.of(new JoinWithin(new Duration(10, "SECONDS", L), new Duration(1, "MINUTE", L),
                        Optional.of(new Duration(5, "SECONDS", L)), L)), L);
        WindowClause window = new WindowClause(WindowClause.Kind.HOPPING, new Duration(15, "MINUTES", L),
                Optional.of(new Duration(1, "MINUTE", L)), Optional.of(new Duration(30, "SECONDS", L)),
                Optional.empty(), L);
        Query expected = new Query(List.of(), select(item(col("a", "k")), item(countStar()))
                .from(join).window(window).groupBy(col("a", "k")).build(), List.of(), Optional.empty(),
                Optional.of(new Emit(Emit.Kind.CHANGES, Optional.empty(), L)), L);
        assertEquals(expected, actual);
    }

    @Test
    void joinWithinOneDurationIsSymmetricAndSessionWindowHoldsItsGap() {
        Query actual = queryOf("SELECT * FROM a JOIN b WITHIN 1 HOUR ON a.k = b.k WINDOW SESSION (30 MINUTES)");
        QueryBody.Select select = (QueryBody.Select) actual.body();
        Relation.Join join = (Relation.Join) select.from().orElseThrow();
        assertEquals(new JoinWithin(new Duration(1, "HOUR", L), new Duration(1, "HOUR", L), Optional.empty(), L),
                join.within().orElseThrow());
        assertEquals(new WindowClause(WindowClause.Kind.SESSION, new Duration(30, "MINUTES", L), Optional.empty(),
                Optional.empty(), Optional.empty(), L), select.window().orElseThrow());
    }

    @Test
    void windowTableValuedFunctions() {
        Query actual = queryOf("""
                SELECT window_start, COUNT(*) FROM TABLE(
                    SESSION(TABLE clicks PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) w
                GROUP BY window_start""");
        Relation expected = new Relation.WindowTableFunction("SESSION", table("clicks", null), id("ts"),
                List.of(interval("5", "MINUTE")), List.of(col("user_id")), Optional.of(id("w")), L);
        assertEquals(expected, ((QueryBody.Select) actual.body()).from().orElseThrow());

        Query hop = queryOf("SELECT * FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE))");
        assertEquals(new Relation.WindowTableFunction("HOP", table("s", null), id("ts"),
                        List.of(interval("1", "MINUTE"), interval("10", "MINUTE")), List.of(), Optional.empty(), L),
                ((QueryBody.Select) hop.body()).from().orElseThrow());
    }

    @Test
    void cteDistinctOnQualifyOrderByAndLimit() {
        Query actual = queryOf("""
                WITH hourly (u, c) AS (SELECT user_id, cost FROM f)
                SELECT DISTINCT ON (u) u, RANK() OVER (PARTITION BY u ORDER BY c DESC) AS r
                FROM hourly
                QUALIFY r <= 5
                ORDER BY u, c DESC
                LIMIT 20""");
        Expression rank = new Expression.FunctionCall(dev.sluice.grammar.ast.QualifiedName.of("RANK"), List.of(),
                false, false, List.of(), List.of(), Optional.empty(),
                Optional.of(new Expression.Over(List.of(col("u")), List.of(desc(col("c"))), Optional.empty(), L)), L);
        Query cte = query(select(item(col("user_id")), item(col("cost"))).from(table("f", null)).build());
        Query expected = new Query(
                List.of(new Query.WithQuery(id("hourly"), List.of(id("u"), id("c")), cte, L)),
                select(item(col("u")), item(rank, "r")).distinctOn(col("u")).from(table("hourly", null))
                        .qualify(binary(BinaryOperator.LE, col("r"), num("5"))).build(),
                List.of(asc(col("u")), desc(col("c"))), Optional.of(20L), Optional.empty(), L);
        assertEquals(expected, actual);
    }

    @Test
    void unionAllKeepsTheTrailingWithOnTheLastSelect() {
        Query actual = queryOf("""
                SELECT 'kafka' as source, event_id FROM 'kafka://h:9092/events'
                UNION ALL
                SELECT 's3' as source, event_id FROM 's3://bucket/events/*'
                WITH (deduplication_key = 'event_id')""");
        QueryBody left = select(item(str("kafka"), "source"), item(col("event_id")))
                .from(new Relation.UriSource("kafka://h:9092/events", Optional.empty(), L)).build();
        QueryBody right = select(item(str("s3"), "source"), item(col("event_id")))
                .from(new Relation.UriSource("s3://bucket/events/*", Optional.empty(), L))
                .options(property("deduplication_key", str("event_id"))).build();
        assertEquals(query(new QueryBody.SetOperation("UNION", true, left, right, L)), actual);
    }

    @Test
    void statementsBesidesQueries() {
        assertEquals(new Statement.Set("state.backend", "postgres", L), parse("SET 'state.backend' = 'postgres'"));
        assertEquals(new Statement.Use(Optional.of("SCHEMA"), name("TEST_RESULTS"), L), parse("USE SCHEMA TEST_RESULTS"));
        assertEquals(new Statement.Describe(Optional.of(ObjectKind.STREAM), name("s"), true, L),
                parse("DESCRIBE STREAM EXTENDED s"));
        assertEquals(new Statement.Show(List.of("CREATE", "STREAM"), Optional.of(name("s")), Optional.empty(),
                Optional.empty(), Optional.of("JSON"), L), parse("SHOW CREATE STREAM s FORMAT JSON"));
        assertEquals(new Statement.Show(List.of("STREAM", "HEALTH"), Optional.of(name("s")), Optional.empty(),
                Optional.empty(), Optional.empty(), L), parse("SHOW STREAM HEALTH s"));
        assertEquals(new Statement.Show(List.of("DYNAMIC", "TABLES"), Optional.empty(), Optional.of("DT_%"),
                        Optional.of(name("FLAKEBENCH", "TEST_RESULTS")), Optional.empty(), L),
                parse("SHOW DYNAMIC TABLES LIKE 'DT_%' IN SCHEMA FLAKEBENCH.TEST_RESULTS"));
        assertEquals(new Statement.Drop(ObjectKind.STREAM, name("s"), true, true, L),
                parse("DROP STREAM IF EXISTS s DELETE TOPIC"));
        assertEquals(new Statement.CommentOn(ObjectKind.VIEW, name("v"), "it's a view", L),
                parse("COMMENT ON VIEW v IS 'it''s a view'"));
        assertEquals(new Statement.Explain(new Statement.InsertInto(name("alerts"), List.of(id("a")),
                        query(select(item(col("a"))).from(table("s", null)).build()), L), L),
                parse("EXPLAIN INSERT INTO alerts (a) SELECT a FROM s"));
        assertEquals(new Statement.CreateSource(ObjectKind.STREAM, name("v"), true, false, List.of(), List.of(),
                        Optional.empty(), List.of(property("schema_id", num("123"))), L),
                parse("CREATE OR REPLACE STREAM v WITH (schema_id = 123)"));
    }

    @Test
    void alterActions() {
        Statement actual = parse("""
                ALTER STREAM orders
                ADD COLUMN discount DECIMAL(5,2) DEFAULT 0.0,
                DROP COLUMN obsolete,
                ALTER COLUMN amount TYPE DECIMAL(12,4),
                ADD CONSTRAINT positive CHECK (amount > 0),
                SET 'batch_size' = '5000', 'poll_timeout_ms' = '3000',
                PAUSE""");
        Statement expected = new Statement.Alter(ObjectKind.STREAM, name("orders"), List.of(
                new AlterAction.AddColumn(new ColumnDefinition(id("discount"), type("DECIMAL", 5, 2), false, false,
                        false, false, Optional.of(num("0.0")), L), L),
                new AlterAction.DropColumn(id("obsolete"), L),
                new AlterAction.AlterColumnType(id("amount"), type("DECIMAL", 12, 4), L),
                new AlterAction.AddConstraint(id("positive"), binary(BinaryOperator.GT, col("amount"), num("0")), L),
                new AlterAction.SetOptions(List.of(property("batch_size", str("5000")),
                        property("poll_timeout_ms", str("3000"))), L),
                new AlterAction.Control("PAUSE", L)), L);
        assertEquals(expected, actual);
        assertEquals(new Statement.Alter(ObjectKind.STREAM, name("orders"), List.of(new AlterAction.ResetOffset(
                        Optional.empty(), Optional.of(new Expression.TypedLiteral("TIMESTAMP", "2024-01-15 10:00:00", L)), L)), L),
                parse("ALTER STREAM orders RESET OFFSET TO TIMESTAMP '2024-01-15 10:00:00'"));
        assertEquals(new Statement.Alter(ObjectKind.DYNAMIC_TABLE, name("DT"),
                List.of(new AlterAction.Control("REFRESH", L)), L), parse("ALTER DYNAMIC TABLE DT REFRESH"));
    }

    @Test
    void scriptKeepsEachStatementsExactTextAndSkipsComments() {
        Script script = SqlParser.parseScript("""
                -- List all streams
                SELECT * FROM SYSTEM.STREAMS;

                /* schema */ DESCRIBE feedback_events ;
                ;""");
        assertEquals(List.of("SELECT * FROM SYSTEM.STREAMS", "DESCRIBE feedback_events"),
                script.statements().stream().map(ParsedStatement::text).toList());
        assertEquals(List.of(), SqlParser.parseScript("-- only a comment\n").statements());
    }

    @Test
    void nodesAreStampedWithOneBasedLineAndColumn() {
        Statement statement = parse("SELECT a,\n       b + 1 AS c\nFROM t");
        QueryBody.Select select = (QueryBody.Select) ((Statement.QueryStatement) statement).query().body();
        assertEquals("1:1", select.location().toString());
        assertEquals("1:8", select.items().get(0).location().toString());
        var second = (dev.sluice.grammar.ast.SelectItem.SingleColumn) select.items().get(1);
        assertEquals("2:8", second.expression().location().toString());
        assertEquals("2:17", second.alias().orElseThrow().location().toString());
        assertEquals("3:6", select.from().orElseThrow().location().toString());
    }
}
