package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.expr.Expr;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.runtime.plan.AggregateCall;
import dev.sluice.runtime.plan.AggregateStep;
import dev.sluice.runtime.plan.EmitMode;
import dev.sluice.runtime.plan.FilterStep;
import dev.sluice.runtime.plan.FormatSpec;
import dev.sluice.runtime.plan.ProjectStep;
import dev.sluice.runtime.plan.RekeyStep;
import dev.sluice.runtime.plan.SourceStep;
import dev.sluice.runtime.plan.Step;
import dev.sluice.runtime.plan.TableSourceStep;
import dev.sluice.runtime.plan.WindowSpec;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plans the compiler produces for representative queries, checked step by step. */
class PlanningTest {
    /** event_time is event time with a 30 s watermark. */
    private static final String EVENTS = "CREATE STREAM events (event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, "
            + "rating DOUBLE, event_time TIMESTAMP, WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n";
    /** Event time (ROWTIME) but no watermark. */
    private static final String CLICKS = "CREATE STREAM clicks (user_id VARCHAR, ts TIMESTAMP ROWTIME) "
            + "WITH ('topic' = 'clicks', 'format' = 'json');\n";
    /** No event time at all. */
    private static final String PLAIN = "CREATE STREAM plain (id VARCHAR, n INT) WITH ('topic' = 'plain', 'format' = 'json');\n";
    private static final String USERS = "CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INT) "
            + "WITH ('topic' = 'users', 'format' = 'json');\n";

    private static final Schema EVENTS_SCHEMA = schema(col("event_id", ScalarType.VARCHAR),
            col("model_name", ScalarType.VARCHAR), col("latency_ms", ScalarType.BIGINT), col("rating", ScalarType.DOUBLE),
            col("event_time", ScalarType.TIMESTAMP));

    // ---- stateless ------------------------------------------------------------------------------

    @Test
    void statelessProjectionIsAFilterThenAProjectionOverTheSource() {
        Step root = plan(EVENTS + "SELECT event_id, latency_ms * 2 AS double_latency, UPPER(model_name) FROM events "
                + "WHERE latency_ms > 5000");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("topic", "events");
        props.put("format", "json");
        SourceStep source = new SourceStep("events", new FormatSpec("events", props), schema(), EVENTS_SCHEMA,
                OptionalInt.of(4), false);
        FilterStep where = new FilterStep("select_1-where", source,
                call(">", ScalarType.BOOLEAN, ref(2, ScalarType.BIGINT), lit(5000, ScalarType.INTEGER)));
        ProjectStep select = new ProjectStep("select_1-select", where, List.of(
                ref(0, ScalarType.VARCHAR),
                call("*", ScalarType.BIGINT, ref(2, ScalarType.BIGINT), lit(2, ScalarType.INTEGER)),
                call("UPPER", ScalarType.VARCHAR, ref(1, ScalarType.VARCHAR))),
                schema(col("event_id", ScalarType.VARCHAR), col("double_latency", ScalarType.BIGINT),
                        col("EXPR$2", ScalarType.VARCHAR)));
        assertEquals(select, root);
        assertEquals(Step.Shape.STREAM, root.shape());
    }

    @Test
    void statelessProjectionOfATableKeepsTheTableKeyWithoutRepartitioning() {
        CompiledQuery q = query(USERS + "SELECT name, age + 1 AS next_age FROM users WHERE age >= 18");
        assertEquals("(id VARCHAR)", q.keySchema().toString());
        assertEquals("(name VARCHAR, next_age INTEGER)", q.schema().toString());
        assertTrue(q.table(), "a projection of a table is a changelog");
        assertEquals(List.of("select_1-select", "select_1-where", "users"), chain(q.plan().root()));
        assertInstanceOf(TableSourceStep.class, steps(q.plan().root()).get(2));
        assertFalse(steps(q.plan().root()).stream().anyMatch(s -> s instanceof RekeyStep));
    }

    // ---- aggregation ----------------------------------------------------------------------------

    @Test
    void aggregationIsPrepareGroupByAggregateSelect() {
        CompiledQuery q = query(EVENTS + "SELECT model_name, COUNT(*) AS n, AVG(latency_ms) AS avg_latency "
                + "FROM events GROUP BY model_name");
        List<Step> steps = steps(q.plan().root());
        assertEquals(List.of("select_1-select", "select_1-aggregate", "select_1-groupby", "select_1-prepare", "events"),
                chain(q.plan().root()));

        ProjectStep prepare = (ProjectStep) steps.get(3);
        // Only what the aggregation reads: the key, AVG's argument, and event time.
        assertEquals(List.of(ref(1, ScalarType.VARCHAR), ref(2, ScalarType.BIGINT), ref(4, ScalarType.TIMESTAMP)),
                prepare.expressions());
        assertEquals("(model_name VARCHAR, ARG$1 BIGINT, ROWTIME TIMESTAMP(3))", prepare.schema().toString());

        RekeyStep groupBy = (RekeyStep) steps.get(2);
        assertEquals(List.of(ref(0, ScalarType.VARCHAR)), groupBy.keyExpressions());
        assertEquals("(model_name VARCHAR)", groupBy.keySchema().toString());

        AggregateStep aggregate = (AggregateStep) steps.get(1);
        assertEquals(List.of(ref(0, ScalarType.VARCHAR)), aggregate.groupKeys());
        assertEquals(Optional.empty(), aggregate.window());
        assertEquals(List.of(
                new AggregateCall("COUNT", List.of(), false, Optional.empty(), List.of(), ScalarType.BIGINT),
                new AggregateCall("AVG", List.of(ref(1, ScalarType.BIGINT)), false, Optional.empty(), List.of(),
                        ScalarType.DOUBLE)), aggregate.calls());
        assertEquals(OptionalInt.of(2), aggregate.rowtimeColumn());
        assertEquals("(model_name VARCHAR)", aggregate.keySchema().toString());
        assertEquals("(model_name VARCHAR, AGG$0 BIGINT, AGG$1 DOUBLE)", aggregate.schema().toString());
        assertEquals(Step.Shape.TABLE, aggregate.shape());

        ProjectStep select = (ProjectStep) steps.get(0);
        assertEquals(List.of(ref(0, ScalarType.VARCHAR), ref(1, ScalarType.BIGINT), ref(2, ScalarType.DOUBLE)),
                select.expressions());
        assertEquals("(model_name VARCHAR, n BIGINT, avg_latency DOUBLE)", q.schema().toString());
        assertEquals("(model_name VARCHAR)", q.keySchema().toString());
        assertTrue(q.table());
    }

    @Test
    void repeatedArgumentsAndFiltersShareOnePreparedColumn() {
        // Nexmark q16's shape: the same argument and the same FILTER under several calls, and an
        // argument that repeats the GROUP BY expression.
        CompiledQuery q = query(EVENTS + "SELECT model_name, COUNT(*) FILTER (WHERE latency_ms < 100), "
                + "COUNT(DISTINCT event_id) FILTER (WHERE latency_ms < 100), COUNT(DISTINCT event_id), "
                + "MAX(latency_ms) FILTER (WHERE latency_ms >= 100), COUNT(DISTINCT model_name) "
                + "FROM events GROUP BY model_name");
        ProjectStep prepare = (ProjectStep) steps(q.plan().root()).get(3);
        Expr fast = call("<", ScalarType.BOOLEAN, ref(2, ScalarType.BIGINT), lit(100, ScalarType.INTEGER));
        Expr slow = call(">=", ScalarType.BOOLEAN, ref(2, ScalarType.BIGINT), lit(100, ScalarType.INTEGER));
        assertEquals(List.of(ref(1, ScalarType.VARCHAR), fast, ref(0, ScalarType.VARCHAR), ref(2, ScalarType.BIGINT),
                slow, ref(4, ScalarType.TIMESTAMP)), prepare.expressions());
        assertEquals("(model_name VARCHAR, FILTER$1 BOOLEAN, ARG$2 VARCHAR, ARG$3 BIGINT, FILTER$4 BOOLEAN, "
                + "ROWTIME TIMESTAMP(3))", prepare.schema().toString());
        AggregateStep aggregate = (AggregateStep) steps(q.plan().root()).get(1);
        Optional<Expr> fastRef = Optional.of(ref(1, ScalarType.BOOLEAN));
        assertEquals(List.of(
                new AggregateCall("COUNT", List.of(), false, fastRef, List.of(), ScalarType.BIGINT),
                new AggregateCall("COUNT", List.of(ref(2, ScalarType.VARCHAR)), true, fastRef, List.of(), ScalarType.BIGINT),
                new AggregateCall("COUNT", List.of(ref(2, ScalarType.VARCHAR)), true, Optional.empty(), List.of(),
                        ScalarType.BIGINT),
                new AggregateCall("MAX", List.of(ref(3, ScalarType.BIGINT)), false, Optional.of(ref(4, ScalarType.BOOLEAN)),
                        List.of(), ScalarType.BIGINT),
                new AggregateCall("COUNT", List.of(ref(0, ScalarType.VARCHAR)), true, Optional.empty(), List.of(),
                        ScalarType.BIGINT)), aggregate.calls());
    }

    @Test
    void aRandomArgumentIsDrawnOncePerCall() {
        ProjectStep prepare = (ProjectStep) steps(plan(EVENTS + "SELECT model_name, MAX(RAND()), MIN(RAND()) "
                + "FROM events GROUP BY model_name")).get(3);
        // two draws, not one value shared by MAX and MIN
        assertEquals("(model_name VARCHAR, ARG$1 DOUBLE, ARG$2 DOUBLE, ROWTIME TIMESTAMP(3))", prepare.schema().toString());
    }

    @Test
    void havingFiltersTheAggregatedRowBeforeTheSelect() {
        CompiledQuery q = query(EVENTS + "SELECT model_name, COUNT(*) AS n FROM events WHERE rating < 3 "
                + "GROUP BY model_name HAVING COUNT(*) > 2");
        assertEquals(List.of("select_1-select", "select_1-having", "select_1-aggregate", "select_1-groupby",
                "select_1-prepare", "select_1-where", "events"), chain(q.plan().root()));
        FilterStep having = (FilterStep) steps(q.plan().root()).get(1);
        // COUNT(*) is aggregate 0, after the one key column.
        assertEquals(call(">", ScalarType.BOOLEAN, ref(1, ScalarType.BIGINT), lit(2, ScalarType.INTEGER)),
                having.predicate());
    }

    @Test
    void groupByAnExpressionNamesTheKeyAfterItsSelectAlias() {
        CompiledQuery q = query(EVENTS + "SELECT UPPER(model_name) AS model, MAX(rating) FROM events GROUP BY UPPER(model_name)");
        assertEquals("(model VARCHAR, EXPR$1 DOUBLE)", q.schema().toString());
        assertEquals("(model VARCHAR)", q.keySchema().toString());
        ProjectStep prepare = (ProjectStep) steps(q.plan().root()).get(3);
        assertEquals(call("UPPER", ScalarType.VARCHAR, ref(1, ScalarType.VARCHAR)), prepare.expressions().get(0));
    }

    // ---- windows: grace from the watermark ---------------------------------------------------

    @Test
    void tumbleGraceIsTheWatermarkDelayMinusOneMillisecond() {
        AggregateStep a = aggregate(EVENTS + "SELECT model_name, TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS ws, "
                + "TUMBLE_END(event_time, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n FROM events "
                + "GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE)");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.TUMBLE, 60_000, 60_000, 29_999)), a.window());
        assertEquals("(model_name VARCHAR, window_start TIMESTAMP(3))", a.keySchema().toString());
        assertEquals("(model_name VARCHAR, window_start TIMESTAMP(3), window_end TIMESTAMP(3), AGG$0 BIGINT)",
                a.schema().toString());
        assertEquals(Step.Shape.STREAM, a.shape());
    }

    @Test
    void windowBoundsReadTheAggregatedRowsWindowColumns() {
        CompiledQuery q = query(EVENTS + "SELECT model_name, TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS ws, "
                + "TUMBLE_END(event_time, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n FROM events "
                + "GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE)");
        ProjectStep select = (ProjectStep) q.plan().root();
        assertEquals(List.of(ref(0, ScalarType.VARCHAR), ref(1, ScalarType.TIMESTAMP), ref(2, ScalarType.TIMESTAMP),
                ref(3, ScalarType.BIGINT)), select.expressions());
        assertEquals("(model_name VARCHAR, ws TIMESTAMP(3), we TIMESTAMP(3), n BIGINT)", q.schema().toString());
        assertFalse(q.table(), "a windowed aggregate emits final rows: a stream");
    }

    @Test
    void sessionGraceIsTheWatermarkDelayMinusTwoMilliseconds() {
        AggregateStep a = aggregate(EVENTS + "SELECT model_name, COUNT(*) FROM events "
                + "GROUP BY model_name, SESSION(event_time, INTERVAL '5' MINUTE)");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.SESSION, 300_000, 300_000, 29_998)), a.window());
    }

    @Test
    void hopTakesSlideThenSize() {
        AggregateStep a = aggregate(EVENTS + "SELECT COUNT(*) FROM events "
                + "GROUP BY HOP(event_time, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.HOP, 300_000, 60_000, 29_999)), a.window());
    }

    @Test
    void hopWithASlideLargerThanItsSizeIsRejected() {
        SqlException e = assertThrows(SqlException.class, () -> plan(EVENTS + "SELECT COUNT(*) FROM events "
                + "GROUP BY HOP(event_time, INTERVAL '5' MINUTE, INTERVAL '1' MINUTE)"));
        assertEquals("line 2:38: HOP slide must be positive and not larger than its size", e.positioned());
    }

    @Test
    void emitAfterWatermarkAddsItsDelayToTheGrace() {
        AggregateStep a = aggregate(EVENTS + "SELECT model_name, COUNT(*) FROM events "
                + "GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE) EMIT AFTER WATERMARK + INTERVAL '2' MINUTE");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.TUMBLE, 60_000, 60_000, 149_999)), a.window());
        assertEquals(EmitMode.FINAL, a.emit());
    }

    @Test
    void emitChangesEmitsEveryUpdate() {
        AggregateStep a = aggregate(EVENTS + "SELECT model_name, COUNT(*) FROM events "
                + "GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE) EMIT CHANGES");
        assertEquals(EmitMode.CHANGES, a.emit());
    }

    @Test
    void withoutAWatermarkTheGraceIsZero() {
        AggregateStep a = aggregate(CLICKS + "SELECT user_id, COUNT(*) FROM clicks "
                + "GROUP BY user_id, TUMBLE(ts, INTERVAL '10' SECOND)");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.TUMBLE, 10_000, 10_000, 0)), a.window());
        AggregateStep s = aggregate(CLICKS + "SELECT user_id, COUNT(*) FROM clicks "
                + "GROUP BY user_id, SESSION(ts, INTERVAL '10' SECOND)");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.SESSION, 10_000, 10_000, 0)), s.window());
    }

    @Test
    void ksqlTumblingWindowTakesItsOwnSizeAndGracePeriod() {
        AggregateStep a = aggregate(EVENTS + "SELECT model_name, COUNT(*) FROM events "
                + "WINDOW TUMBLING (SIZE 5 MINUTES, GRACE PERIOD 10 SECONDS) GROUP BY model_name");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.TUMBLE, 300_000, 300_000, 10_000)), a.window());
    }

    @Test
    void windowTableFunctionHopTakesSlideThenSize() {
        AggregateStep a = aggregate(EVENTS + "SELECT window_start, window_end, COUNT(*) FROM TABLE(HOP(TABLE events, "
                + "DESCRIPTOR(event_time), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)) GROUP BY window_start, window_end");
        assertEquals(Optional.of(new WindowSpec(WindowSpec.Kind.HOP, 300_000, 60_000, 29_999)), a.window());
    }

    // ---- output names and * ---------------------------------------------------------------------

    @Test
    void outputColumnsAreNamedByAliasColumnNameOrPosition() {
        CompiledQuery q = query(EVENTS + "SELECT event_id, latency_ms AS ms, latency_ms + 1, e.model_name, rating * 2 "
                + "FROM events e");
        assertEquals(List.of("event_id", "ms", "EXPR$2", "model_name", "EXPR$4"), q.schema().names());
    }

    @Test
    void aRepeatedOutputNameGetsASuffix() {
        CompiledQuery q = query(EVENTS + "SELECT event_id, event_id, latency_ms AS event_id FROM events");
        assertEquals(List.of("event_id", "event_id0", "event_id1"), q.schema().names());
    }

    @Test
    void starExpandsToEveryDeclaredColumnInOrder() {
        CompiledQuery q = query(EVENTS + "SELECT * FROM events");
        assertEquals(EVENTS_SCHEMA.toString(), q.schema().toString());
        ProjectStep select = (ProjectStep) q.plan().root();
        List<Expr> identity = new ArrayList<>();
        for (int i = 0; i < EVENTS_SCHEMA.size(); i++) {
            identity.add(ref(i, EVENTS_SCHEMA.type(i)));
        }
        assertEquals(identity, select.expressions());
    }

    @Test
    void qualifiedStarExpandsThatRelationNextToOtherItems() {
        CompiledQuery q = query(EVENTS + "SELECT e.*, 1 AS one FROM events e");
        assertEquals("(event_id VARCHAR, model_name VARCHAR, latency_ms BIGINT, rating DOUBLE, event_time TIMESTAMP(3), "
                + "one INTEGER)", q.schema().toString());
    }

    @Test
    void starLeavesOutTheRowtimePseudoColumnUnlessNamed() {
        CompiledQuery q = query(PLAIN + "SELECT *, ROWTIME FROM plain");
        assertEquals("(id VARCHAR, n INTEGER, ROWTIME TIMESTAMP(3))", q.schema().toString());
        SourceStep source = (SourceStep) steps(q.plan().root()).get(1);
        assertTrue(source.appendRowtime(), "the record timestamp is appended for a query that reads ROWTIME");
        assertEquals("(id VARCHAR, n INTEGER, ROWTIME TIMESTAMP(3))", source.schema().toString());
    }

    @Test
    void aDeclaredColumnNamedRowtimeIsReadInsteadOfThePseudoColumn() {
        CompiledQuery q = query("CREATE STREAM r (id VARCHAR, rowtime VARCHAR) WITH ('topic' = 'r', 'format' = 'json');\n"
                + "SELECT id, ROWTIME FROM r");
        assertEquals("(id VARCHAR, ROWTIME VARCHAR)", q.schema().toString());
        SourceStep source = (SourceStep) steps(q.plan().root()).get(1);
        assertFalse(source.appendRowtime());
    }

    @Test
    void aSourceNotReadingRowtimeDoesNotAppendIt() {
        SourceStep source = (SourceStep) steps(plan(PLAIN + "SELECT * FROM plain")).get(1);
        assertFalse(source.appendRowtime());
    }

    // ---- names ----------------------------------------------------------------------------------

    @Test
    void queriesAreNamedAfterTheirSinkOrAsNumberedSelects() {
        CompiledScript s = compile(EVENTS + "CREATE STREAM slow_requests AS SELECT event_id FROM events WHERE latency_ms > 5000;\n"
                + "SELECT event_id FROM slow_requests;\nSELECT event_id FROM events;\n"
                + "INSERT INTO slow_requests SELECT event_id FROM events WHERE rating < 2;\n");
        assertEquals(List.of("slow_requests", "select_1", "select_2", "insert_slow_requests"),
                s.queries().stream().map(CompiledQuery::id).toList());
        assertEquals(List.of("slow_requests-select", "slow_requests-where", "events"),
                chain(s.queries().get(0).plan().root()));
        assertEquals(List.of("select_1-select", "slow_requests"), chain(s.queries().get(1).plan().root()));
        assertEquals(List.of("insert_slow_requests-select", "insert_slow_requests-where", "events"),
                chain(s.queries().get(3).plan().root()));
        assertEquals(List.of(true, false, false, true), s.queries().stream().map(CompiledQuery::persistent).toList());
        assertEquals(List.of("slow_requests", "sluice-t-select_1-output", "sluice-t-select_2-output", "slow_requests"),
                s.queries().stream().map(CompiledQuery::outputTopic).toList());
    }

    @Test
    void insertIntoWritesRowsUnderTheTargetsColumnNames() {
        CompiledQuery q = query(EVENTS + "CREATE STREAM alerts (id VARCHAR, ms BIGINT) WITH ('topic' = 'alerts');\n"
                + "INSERT INTO alerts SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000");
        assertEquals("(id VARCHAR, ms BIGINT)", q.schema().toString());
        assertEquals(List.of("insert_alerts-select", "insert_alerts-where", "events"), chain(q.plan().root()));
        assertEquals(List.of(ref(0, ScalarType.VARCHAR), ref(2, ScalarType.BIGINT)),
                ((ProjectStep) q.plan().root()).expressions());
    }

    @Test
    void cteStepsArePrefixedWithTheCteName() {
        Step root = plan(EVENTS + "WITH slow AS (SELECT event_id, latency_ms FROM events WHERE latency_ms > 5000) "
                + "SELECT event_id FROM slow WHERE latency_ms < 10000");
        assertEquals(List.of("select_1-select", "select_1-where", "select_1-slow-select", "select_1-slow-where", "events"),
                chain(root));
    }

    @Test
    void aggregationInsideACteIsNamedAfterTheCte() {
        Step root = plan(EVENTS + "WITH per_model AS (SELECT model_name, COUNT(*) AS n FROM events GROUP BY model_name) "
                + "SELECT model_name FROM per_model WHERE n > 10");
        assertEquals(List.of("select_1-select", "select_1-where", "select_1-per_model-select",
                "select_1-per_model-aggregate", "select_1-per_model-groupby", "select_1-per_model-prepare", "events"),
                chain(root));
    }

    // ---- the topology ---------------------------------------------------------------------------

    private static final String MIXED = EVENTS
            + "CREATE STREAM per_minute AS SELECT model_name, TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS ws, "
            + "COUNT(*) AS n, AVG(rating) AS r FROM events WHERE latency_ms > 100 "
            + "GROUP BY model_name, TUMBLE(event_time, INTERVAL '1' MINUTE);\n"
            + "CREATE TABLE per_model AS SELECT model_name, MAX(latency_ms) AS worst FROM events GROUP BY model_name;\n"
            + "SELECT event_id, UPPER(model_name) FROM events WHERE rating < 2;\n";

    @Test
    void compilingTheSameScriptTwiceGivesTheSameTopology() {
        String first = compile(MIXED).topology().describe().toString();
        String second = compile(MIXED).topology().describe().toString();
        assertEquals(first, second);
    }

    @Test
    void aWindowedAggregationHasNoGeneratedNames() {
        String described = compile(MIXED).topology().describe().toString();
        assertFalse(described.contains("KSTREAM-"), described);
        assertFalse(described.contains("KTABLE-"), described);
        assertTrue(described.contains("per_minute-aggregate"), described);
        assertTrue(described.contains("per_minute-groupby"), described);
        assertTrue(described.contains("per_model-aggregate"), described);
    }

    @Test
    void replayTopologyAddsEndOfTimeHeartbeatsOnlyForWindowedAggregates() {
        CompiledScript production = compile(MIXED);
        CompiledScript replay = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(MIXED, "t", BuildOptions.REPLAY);
        assertEquals(List.of(), production.endOfTimeTopics());
        assertEquals(1, replay.endOfTimeTopics().size());
        assertTrue(replay.endOfTimeTopics().get(0).startsWith("per_minute-aggregate"), replay.endOfTimeTopics().toString());
        assertFalse(production.topology().describe().toString().contains("end-of-time"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    /** The last query of the script. */
    private static CompiledQuery query(String sql) {
        List<CompiledQuery> queries = compile(sql).queries();
        return queries.get(queries.size() - 1);
    }

    private static Step plan(String sql) {
        return query(sql).plan().root();
    }

    private static AggregateStep aggregate(String sql) {
        return (AggregateStep) steps(plan(sql)).stream().filter(s -> s instanceof AggregateStep).findFirst()
                .orElseThrow(() -> new AssertionError("no aggregate in " + sql));
    }

    /** The steps from the root down the first input of each, to the source. */
    private static List<Step> steps(Step root) {
        List<Step> out = new ArrayList<>();
        for (Step s = root; s != null; ) {
            out.add(s);
            List<Step> in = Steps.inputs(s);
            s = in.isEmpty() ? null : in.get(0);
        }
        return out;
    }

    private static List<String> chain(Step root) {
        return steps(root).stream().map(Step::name).toList();
    }

    private static Schema schema(Column... columns) {
        return new Schema(List.of(columns));
    }

    private static Column col(String name, ScalarType type) {
        return new Column(name, type);
    }

    private static Expr.InputRef ref(int index, dev.sluice.serdes.row.SqlType type) {
        return new Expr.InputRef(index, type);
    }

    private static Expr.Literal lit(Object value, ScalarType type) {
        return new Expr.Literal(value, type);
    }

    private static Expr.Call call(String function, ScalarType type, Expr... args) {
        return new Expr.Call(function, List.of(args), type);
    }
}
