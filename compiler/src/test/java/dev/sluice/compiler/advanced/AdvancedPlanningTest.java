package dev.sluice.compiler.advanced;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.Steps;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.DeduplicateStep;
import dev.sluice.runtime.plan.LagLeadStep;
import dev.sluice.runtime.plan.RankStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.SuppressStep;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planning of window functions, Top-N, deduplication, multi-level aggregation, views and dynamic tables. */
class AdvancedPlanningTest {
    private static final String EVENTS = "CREATE STREAM events (event_id VARCHAR, user_id VARCHAR, model_name VARCHAR, "
            + "latency_ms BIGINT, cost_usd DOUBLE, event_time TIMESTAMP, "
            + "WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND) WITH ('topic' = 'events', 'format' = 'json');\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(EVENTS + sql, "t", BuildOptions.PRODUCTION);
    }

    private static Step root(String sql) {
        CompiledScript script = compile(sql);
        return script.queries().get(script.queries().size() - 1).plan().root();
    }

    private static List<Step> all(Step root) {
        List<Step> out = new ArrayList<>();
        out.add(root);
        for (Step in : Steps.inputs(root)) {
            out.addAll(all(in));
        }
        return out;
    }

    private static <T extends Step> T only(Step root, Class<T> type) {
        List<Step> found = all(root).stream().filter(type::isInstance).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " in\n" + Steps.explain(root));
        return type.cast(found.get(0));
    }

    @Test
    void lagOverAnAggregateIsPlannedAfterTheWindowAndPartitionedByTheModel() {
        Step root = root("SELECT model_name, AVG(latency_ms) AS avg_latency, LAG(AVG(latency_ms), 2, 0.0) OVER "
                + "(PARTITION BY model_name ORDER BY TUMBLE_START(event_time, INTERVAL '1' MINUTE)) AS prev "
                + "FROM events GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE)");
        LagLeadStep lag = only(root, LagLeadStep.class);
        assertEquals(1, lag.calls().size());
        assertEquals(2, lag.calls().get(0).offset());
        assertFalse(lag.calls().get(0).lead());
        assertEquals(List.of("model_name"), lag.keySchema().names());
        assertEquals(List.of("model_name", "avg_latency", "prev"), root.schema().names());
    }

    @Test
    void qualifyBoundsTheRankingToTheTopN() {
        RankStep rank = only(root("SELECT user_id, cost_usd, RANK() OVER (PARTITION BY model_name ORDER BY cost_usd DESC) "
                + "AS r FROM events QUALIFY r <= 3"), RankStep.class);
        assertEquals(RankStep.Function.RANK, rank.function());
        assertEquals(3, rank.limit());
        assertTrue(rank.orderBy().get(0).descending());
    }

    @Test
    void anOuterWhereOnARankColumnBoundsTheSubQuerysRanking() {
        RankStep rank = only(root("SELECT * FROM (SELECT user_id, cost_usd, ROW_NUMBER() OVER (PARTITION BY model_name "
                + "ORDER BY cost_usd) AS rn FROM events) WHERE rn < 4"), RankStep.class);
        assertEquals(3, rank.limit());
    }

    @Test
    void rowNumberByEventTimeKeptToOneIsADeduplicationKeepingTheLastWhenDescending() {
        DeduplicateStep dedup = only(root("SELECT * FROM (SELECT user_id, event_time, ROW_NUMBER() OVER (PARTITION BY "
                + "user_id ORDER BY event_time DESC) AS rn FROM events) WHERE rn = 1"), DeduplicateStep.class);
        assertTrue(dedup.keepLast());
        assertEquals(0L, dedup.retentionMs(), "keys are remembered until a WITH option bounds them");
    }

    @Test
    void distinctOnKeepsTheFirstByEventTimeWithTheRetentionOfItsWithOption() {
        DeduplicateStep dedup = only(root("SELECT DISTINCT ON (event_id) event_id, latency_ms FROM events "
                + "WITH (deduplication_window = '1 hour') ORDER BY event_id, event_time"), DeduplicateStep.class);
        assertFalse(dedup.keepLast());
        assertEquals(3_600_000L, dedup.retentionMs());
    }

    @Test
    void orderByLimitOfAPersistentAggregateIsAMaintainedTopN() {
        Step root = root("CREATE TABLE top_models AS SELECT model_name, COUNT(*) AS requests FROM events "
                + "GROUP BY model_name ORDER BY requests DESC LIMIT 3");
        RankStep rank = only(root, RankStep.class);
        assertEquals(3, rank.limit());
        assertEquals(List.of(), rank.partitionColumns());
        assertEquals(Step.Shape.TABLE, root.shape());
    }

    @Test
    void orderByWithoutLimitInAPersistentQueryExplainsWhyItCannotWork() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM sorted AS SELECT event_id, latency_ms FROM events ORDER BY latency_ms"));
        assertEquals("line 2:74: ORDER BY without LIMIT in a persistent query: a stream never ends, so its rows can "
                + "never be emitted in sorted order", e.positioned());
    }

    @Test
    void lagMustBeOrderedByTimeAscending() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "SELECT LAG(latency_ms) OVER (PARTITION BY user_id ORDER BY latency_ms) FROM events"));
        assertEquals("line 2:60: LAG/LEAD need ORDER BY a time column ascending, got BIGINT", e.positioned());
    }

    @Test
    void anAggregateOverAStreamIsAnOverAggregationInEventTimeOrder() {
        Step root = root("SELECT SUM(latency_ms) OVER (PARTITION BY user_id ORDER BY event_time) FROM events");
        dev.sluice.runtime.plan.OverAggregateStep over = all(root).stream()
                .filter(s -> s instanceof dev.sluice.runtime.plan.OverAggregateStep)
                .map(s -> (dev.sluice.runtime.plan.OverAggregateStep) s).findFirst().orElseThrow();
        assertEquals(dev.sluice.runtime.plan.OverFrame.RANGE_UNBOUNDED, over.frame());
        assertEquals("SUM", over.calls().get(0).function());
    }

    @Test
    void aFrameEndingAfterTheRowIsRefusedAtTheOverClause() {
        SqlException e = assertThrows(SqlException.class, () -> compile("SELECT SUM(latency_ms) OVER (PARTITION BY "
                + "user_id ORDER BY event_time ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM events"));
        assertEquals("line 2:24: not supported yet: a frame that does not end at the current row", e.positioned());
    }

    @Test
    void aWindowedResultKeepsWindowTimeAsItsEventTimeForACoarserWindow() {
        Step root = root("WITH m AS (SELECT model_name, TUMBLE_ROWTIME(event_time, INTERVAL '1' MINUTE) AS rt, "
                + "COUNT(*) AS c FROM events GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE)) "
                + "SELECT model_name, SUM(c) AS c FROM m GROUP BY model_name, TUMBLE(rt, INTERVAL '1' HOUR)");
        long windows = all(root).stream().filter(s -> s instanceof dev.sluice.runtime.plan.AggregateStep a
                && a.window().isPresent()).count();
        assertEquals(2, windows);
    }

    @Test
    void aViewIsInlinedWhereItIsReadAndAnAggregateOverATableRetracts() {
        CompiledScript script = compile("CREATE OR REPLACE VIEW a.b.latest AS SELECT user_id, model_name, latency_ms, "
                + "ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY event_time DESC) AS recency FROM events;\n"
                + "CREATE TABLE per_model AS SELECT model_name, COUNT(*) AS n, MAX(latency_ms) AS worst "
                + "FROM latest WHERE recency <= 2 GROUP BY model_name");
        assertEquals(1, script.queries().size());
        Step root = script.queries().get(0).plan().root();
        assertEquals(2, only(root, RankStep.class).limit());
        assertEquals(Step.Shape.TABLE, root.shape());
    }

    @Test
    void anAggregateThatCannotRetractIsRefusedOverATable() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE TABLE t AS SELECT model_name, LATEST_BY_OFFSET(user_id) AS last_user FROM (SELECT user_id, "
                        + "model_name, ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY latency_ms) AS rn FROM events) "
                        + "GROUP BY model_name"));
        assertTrue(e.getMessage().contains("cannot be computed over a table"), e.getMessage());
    }

    @Test
    void approximateAggregatesOverATableAreAcceptedAndKeepWhatTheyNeedToRetract() {
        Step root = root("CREATE TABLE t AS SELECT model_name, APPROX_COUNT_DISTINCT(user_id) AS users, "
                + "APPROX_PERCENTILE(latency_ms, 0.5) AS median, FIRST(user_id) AS first_user FROM (SELECT user_id, "
                + "model_name, latency_ms, ROW_NUMBER() OVER (PARTITION BY model_name ORDER BY latency_ms) AS rn "
                + "FROM events) GROUP BY model_name");
        assertEquals(Step.Shape.TABLE, root.shape());
    }

    @Test
    void aDynamicTableEmitsAtMostOncePerKeyPerTargetLag() {
        Step root = root("CREATE OR ALTER DYNAMIC TABLE db.s.by_model TARGET_LAG = '1 minute' WAREHOUSE = WH AS "
                + "SELECT model_name, COUNT(*) AS n, CURRENT_TIMESTAMP() AS refreshed_at FROM events GROUP BY model_name");
        assertTrue(root instanceof SuppressStep);
        assertEquals(60_000L, ((SuppressStep) root).intervalMs());
    }

    @Test
    void lateralColumnAliasesResolveToEarlierSelectItems() {
        Step root = root("SELECT latency_ms / 1000.0 AS secs, CASE WHEN secs > 2 THEN 'slow' ELSE 'ok' END AS speed "
                + "FROM events");
        assertEquals(List.of("secs", "speed"), root.schema().names());
    }

    @Test
    void lagOverATableIsRefusedBecauseItsRowsChange() {
        SqlException e = assertThrows(SqlException.class, () -> compile("SELECT model_name, n, LAG(n) OVER "
                + "(PARTITION BY model_name ORDER BY t) AS prev FROM (SELECT model_name, COUNT(*) AS n, "
                + "MAX(event_time) AS t FROM events GROUP BY model_name)"));
        assertTrue(e.getMessage().startsWith("LAG/LEAD need a stream"), e.getMessage());
    }

    @Test
    void rankingATableMayPartitionByAColumnThatChanges() {
        // The partition (a count) changes with every update: the rank step retracts a row from its
        // old partition itself, so the ranking plans, partitioned by the count.
        RankStep rank = only(root("SELECT * FROM (SELECT model_name, user_id, COUNT(*) AS n, "
                + "ROW_NUMBER() OVER (PARTITION BY COUNT(*) ORDER BY user_id) AS rn FROM events "
                + "GROUP BY model_name, user_id) WHERE rn <= 2"), RankStep.class);
        assertEquals(2, rank.limit());
        assertEquals(Step.Shape.TABLE, rank.input().shape());
        assertEquals(1, rank.partitionColumns().size());
        assertEquals(ScalarType.BIGINT, rank.input().schema().column(rank.partitionColumns().get(0)).type());
    }

    @Test
    void limitWithoutOrderByInAPersistentQueryKeepsTheFirstRows() {
        RankStep rank = only(root("CREATE TABLE first3 AS SELECT event_id FROM events LIMIT 3"), RankStep.class);
        assertEquals(3, rank.limit());
        assertEquals(List.of(), rank.orderBy());
    }
}
