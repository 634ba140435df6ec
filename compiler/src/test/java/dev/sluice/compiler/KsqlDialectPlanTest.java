package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.ExplodeStep;
import dev.sluice.runtime.plan.JoinTiming;
import dev.sluice.runtime.plan.StreamStreamJoinStep;
import dev.sluice.runtime.plan.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the ksqlDB dialect decides in the plan, and what it refuses as ksqlDB refuses it. */
class KsqlDialectPlanTest {
    private static final String KSQL = "CREATE STREAM TEST (K STRING KEY, V INT, S VARCHAR) "
            + "WITH (kafka_topic='t', value_format='JSON');\n";
    private static final String FLINK = "CREATE STREAM test (k STRING, v INT) WITH ('topic' = 't', 'format' = 'json');\n";

    @Test
    void ksqlAggregatesKeepUnchangedUpdatesAndFlinkOnesDropThem() {
        assertEquals(AggregateStep.UnchangedUpdates.EMIT,
                aggregate(KSQL + "CREATE TABLE OUT AS SELECT K, MAX(V) AS M FROM TEST GROUP BY K;").unchangedUpdates());
        assertEquals(AggregateStep.UnchangedUpdates.DROP,
                aggregate(FLINK + "CREATE TABLE out1 AS SELECT k, MAX(v) AS m FROM test GROUP BY k;").unchangedUpdates());
        String explained = Steps.explain(compile(KSQL + "CREATE TABLE OUT AS SELECT K, MAX(V) AS M FROM TEST GROUP BY K;")
                .queries().get(0).plan().root());
        assertTrue(explained.contains("every input row re-emits its group's row"), explained);
    }

    @Test
    void createStreamAsOverAnAggregateIsRefusedWithKsqlDbsMessage() {
        SqlException e = assertThrows(SqlException.class, () -> compile(KSQL
                + "CREATE STREAM OUT AS SELECT K, COUNT(*) AS N FROM TEST GROUP BY K;"));
        assertEquals("Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT "
                + "statement instead.", e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void createTableAsOverAStreamIsRefusedButAWindowedAggregateIsATable() {
        SqlException e = assertThrows(SqlException.class, () -> compile(KSQL
                + "CREATE TABLE OUT AS SELECT K, V FROM TEST;"));
        assertTrue(e.getMessage().contains("produces a STREAM"), e.getMessage());
        compile(KSQL + "CREATE TABLE OUT AS SELECT K, COUNT(*) AS N FROM TEST "
                + "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K EMIT FINAL;");
    }

    @Test
    void aNumberComparedWithTextIsRefusedOnlyInKsqlDbsDialect() {
        SqlException e = assertThrows(SqlException.class, () -> compile(KSQL
                + "CREATE STREAM OUT AS SELECT K FROM TEST WHERE V = 'one';"));
        assertEquals("Error in WHERE expression: Cannot compare V (INTEGER) to 'one' (STRING) with EQUAL.",
                e.getMessage());
    }

    @Test
    void tableFunctionsBecomeOneExplodeStepThatExplainShowsAndThatKeepsTheSourceKey() {
        String sql = "CREATE STREAM A (K STRING KEY, X ARRAY<INT>, Y ARRAY<INT>) "
                + "WITH (kafka_topic='a', value_format='JSON');\n"
                + "CREATE STREAM OUT AS SELECT K, EXPLODE(X) AS E, ABS(EXPLODE(Y)) AS F FROM A;";
        Step root = compile(sql).queries().get(0).plan().root();
        ExplodeStep explode = findExplode(root);
        assertEquals(2, explode.calls().size());
        assertEquals(Step.Shape.STREAM, explode.shape());
        String explained = Steps.explain(root);
        assertTrue(explained.contains("table functions [EXPLODE("), explained);
        assertTrue(explained.contains("emits insert-only"), explained);
    }

    @Test
    void tableFunctionsAreRefusedOverATableAndWithAggregatesInKsqlDbsWords() {
        SqlException table = assertThrows(SqlException.class, () -> compile("CREATE TABLE A (K STRING PRIMARY KEY, "
                + "X ARRAY<INT>) WITH (kafka_topic='a', value_format='JSON');\n"
                + "CREATE TABLE OUT AS SELECT K, EXPLODE(X) AS E FROM A;"));
        assertEquals("Table source is not supported with table functions", table.getMessage());
        SqlException agg = assertThrows(SqlException.class, () -> compile("CREATE STREAM A (K STRING KEY, "
                + "X ARRAY<INT>) WITH (kafka_topic='a', value_format='JSON');\n"
                + "CREATE TABLE OUT AS SELECT K, EXPLODE(X) AS E, COUNT(*) AS N FROM A GROUP BY K;"));
        assertEquals("Table functions cannot be used with aggregations.", agg.getMessage());
        SqlException map = assertThrows(SqlException.class, () -> compile("CREATE STREAM A (K STRING KEY, "
                + "M MAP<STRING, INT>) WITH (kafka_topic='a', value_format='JSON');\n"
                + "CREATE STREAM OUT AS SELECT K, EXPLODE(M) AS E FROM A;"));
        assertTrue(map.getMessage().startsWith("Function 'explode' does not accept parameters (MAP<"), map.getMessage());
    }

    @Test
    void aSinkThatDropsItsSourceKeyOrAGroupingColumnIsRefusedWithKsqlDbsWords() {
        SqlException source = assertThrows(SqlException.class, () -> compile(KSQL
                + "CREATE STREAM OUT AS SELECT V FROM TEST;"));
        assertEquals("The query used to build `OUT` must include the key column K in its projection (eg, SELECT K...).",
                source.getMessage());
        SqlException grouped = assertThrows(SqlException.class, () -> compile(KSQL
                + "CREATE TABLE OUT AS SELECT V, COUNT(*) AS N FROM TEST GROUP BY K, V;"));
        assertEquals("The query used to build `OUT` must include the grouping expression K in its projection "
                + "(eg, SELECT K...).", grouped.getMessage());
        compile(KSQL + "CREATE STREAM OUT AS SELECT K AS K2, V FROM TEST;");
    }

    @Test
    void streamStreamJoinTimingIsKafkaStreamsInKsqlDbsDialectAndFlinksOtherwiseAndExplainSaysWhich() {
        String ksqlSides = "CREATE STREAM L (ID BIGINT KEY, A VARCHAR) WITH (kafka_topic='l', value_format='JSON');\n"
                + "CREATE STREAM R (ID BIGINT KEY, B VARCHAR) WITH (kafka_topic='r', value_format='JSON');\n";
        StreamStreamJoinStep eager = join(ksqlSides
                + "CREATE STREAM J AS SELECT L.ID, A, B FROM L LEFT JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;");
        assertEquals(JoinTiming.PAD_AT_ONCE, eager.timing());
        assertEquals(24L * 3600 * 1000 - 2 * 10_000, eager.graceMs(), "JoinWindows.of's legacy grace");
        StreamStreamJoinStep graced = join(ksqlSides + "CREATE STREAM J AS SELECT L.ID, A, B FROM L LEFT JOIN R "
                + "WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS ON L.ID = R.ID;");
        assertEquals(JoinTiming.PAD_LATE, graced.timing());
        String explained = Steps.explain(graced);
        assertTrue(explained.contains("late records joined or padded at once"), explained);
        StreamStreamJoinStep flink = join("""
                CREATE STREAM l (id BIGINT, a STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'l', 'format' = 'json');
                CREATE STREAM r (id BIGINT, b STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'r', 'format' = 'json');
                CREATE STREAM j AS SELECT l.id, a, b FROM l LEFT JOIN r ON l.id = r.id
                  AND r.ts BETWEEN l.ts - INTERVAL '10' SECOND AND l.ts + INTERVAL '10' SECOND;
                """);
        assertEquals(JoinTiming.DROP_LATE, flink.timing());
        assertTrue(Steps.explain(flink).contains("late records dead-lettered"), Steps.explain(flink));
    }

    @Test
    void rightJoinWithinIsPlannedAsTheSwappedLeftJoin() {
        String sql = "CREATE STREAM L (ID BIGINT KEY, A VARCHAR) WITH (kafka_topic='l', value_format='JSON');\n"
                + "CREATE STREAM R (ID BIGINT KEY, B VARCHAR) WITH (kafka_topic='r', value_format='JSON');\n"
                + "CREATE STREAM J AS SELECT L.ID, A, B FROM L RIGHT JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;";
        StreamStreamJoinStep j = join(sql);
        assertEquals(dev.sluice.runtime.plan.JoinType.LEFT, j.type());
        assertTrue(j.left().schema().names().contains("B"), "the right stream is the left side: " + j.left().schema());
    }

    private static StreamStreamJoinStep join(String sql) {
        List<CompiledQuery> queries = compile(sql).queries();
        return findJoin(queries.get(queries.size() - 1).plan().root());
    }

    private static StreamStreamJoinStep findJoin(Step step) {
        if (step instanceof StreamStreamJoinStep j) {
            return j;
        }
        return step.inputs().stream().map(KsqlDialectPlanTest::findJoin).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static ExplodeStep findExplode(Step step) {
        if (step instanceof ExplodeStep e) {
            return e;
        }
        return step.inputs().stream().map(KsqlDialectPlanTest::findExplode).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    private static AggregateStep aggregate(String sql) {
        List<CompiledQuery> queries = compile(sql).queries();
        return find(queries.get(queries.size() - 1).plan().root());
    }

    private static AggregateStep find(Step step) {
        if (step instanceof AggregateStep a) {
            return a;
        }
        return step.inputs().stream().map(KsqlDialectPlanTest::find).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }
}
