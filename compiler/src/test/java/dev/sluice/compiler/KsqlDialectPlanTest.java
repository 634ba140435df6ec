package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateStep;
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
        assertTrue(e.getMessage().startsWith("Cannot compare INTEGER to VARCHAR"), e.getMessage());
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
