package dev.sluice.compiler.optimizer;

import dev.sluice.compiler.CompiledScript;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.compiler.optimizer.OptimizerFixtures.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the upgrade check says about the state layouts the optimizer and the builders changed. */
class UpgradeCheckTest {
    private static final String LAST_CLICK = OptimizerFixtures.CLICKS + "CREATE TABLE last_click AS "
            + "SELECT user_id, page, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) "
            + "AS rn FROM clicks) WHERE rn = 1;\n";

    @Test
    void aDeduplicationsOwnStoreFromBeforeItReadItsTableIsRetiredAndTheVersionResumes() {
        CompiledScript now = compile(LAST_CLICK, "all");
        List<StateResources.Resource> current = StateResources.of(now);
        // The layout of the version before: the deduplication kept its rows in <step>-store too.
        List<StateResources.Resource> before = new ArrayList<>(current);
        for (StateResources.Resource r : current) {
            if (r.name().endsWith("-table-store") || r.name().endsWith("-table-store-changelog")) {
                before.add(new StateResources.Resource(r.name().replace("-table-store", "-store"), r.kind(), r.step(),
                        r.queries(), r.key(), r.value()));
            }
        }
        assertEquals(current.size() + 2, before.size(), "one deduplication: its store and changelog");
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        assertTrue(result.canResume(), String.join("\n", result.explain()));
        assertEquals(2, result.changes().size(), String.join("\n", result.explain()));
        assertTrue(result.changes().stream().allMatch(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED),
                String.join("\n", result.explain()));
        assertTrue(String.join("\n", result.explain()).contains("retired store last_click-subquery-dedup-store: the "
                + "deduplication now reads its kept rows from last_click-subquery-dedup-table-store"),
                String.join("\n", result.explain()));
    }

    /**
     * A top-N over a stream with its table in the task kept each partition's rows in
     * {@code <step>-store} too before it read them from {@code <step>-table-store}: that store and its
     * changelog are retired, and the version resumes.
     */
    @Test
    void aRankingsOwnStoreFromBeforeItReadItsTableIsRetiredAndTheVersionResumes() {
        CompiledScript now = compile(OptimizerFixtures.CLICKS + "CREATE TABLE last_two AS SELECT user_id, page, ts FROM "
                + "(SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM clicks) "
                + "WHERE rn <= 2;\n", "all");
        List<StateResources.Resource> current = StateResources.of(now);
        assertTrue(current.stream().noneMatch(r -> r.name().endsWith("-rank-store")), current.toString());
        List<StateResources.Resource> before = new ArrayList<>(current);
        for (StateResources.Resource r : current) {
            if (r.name().endsWith("-rank-table-store") || r.name().endsWith("-rank-table-store-changelog")) {
                before.add(new StateResources.Resource(r.name().replace("-table-store", "-store"), r.kind(), r.step(),
                        r.queries(), r.key(), r.value()));
            }
        }
        assertEquals(current.size() + 2, before.size(), "one ranking: its store and changelog");
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        String text = String.join("\n", result.explain());
        assertTrue(result.canResume(), text);
        assertEquals(2, result.changes().size(), text);
        assertTrue(result.changes().stream().allMatch(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED), text);
        assertTrue(text.contains("the ranking now reads its kept rows from last_two-subquery-rank-table-store"), text);
    }

    /**
     * A GROUP BY read only by its sink kept a copy of its rows in {@code <step>-table-store} before
     * it computed each previous row from its state: that store and its changelog topic are retired
     * (its state store is unchanged), and the version resumes on the older state.
     */
    @Test
    void aGroupBysOldRowTableIsRetiredAndTheVersionResumes() {
        CompiledScript now = compile(OptimizerFixtures.CLICKS + "CREATE TABLE per_page AS SELECT page, COUNT(*) AS n "
                + "FROM clicks GROUP BY page;\n", "all");
        List<StateResources.Resource> current = StateResources.of(now);
        assertTrue(current.stream().noneMatch(r -> r.name().contains("-table-store")), current.toString());
        List<StateResources.Resource> before = new ArrayList<>(current);
        for (StateResources.Resource r : current) {
            if (r.name().endsWith("-aggregate-store") || r.name().endsWith("-aggregate-store-changelog")) {
                before.add(new StateResources.Resource(r.name().replace("-aggregate-store", "-aggregate-table-store"),
                        r.kind(), r.step(), r.queries(), r.key(), r.value()));
            }
        }
        assertEquals(current.size() + 2, before.size(), "the row table and its changelog");
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        String text = String.join("\n", result.explain());
        assertTrue(result.canResume(), text);
        assertEquals(2, result.changes().size(), text);
        assertTrue(result.changes().stream().allMatch(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED), text);
        assertTrue(text.contains("now computes each group's previous row from its state"), text);

        // with the state's stored form changed as well, the old rows are not retired: no resume
        List<StateResources.Resource> changed = new ArrayList<>();
        for (StateResources.Resource r : before) {
            changed.add(r.name().endsWith("-aggregate-store") ? new StateResources.Resource(r.name(), r.kind(),
                    r.step(), r.queries(), r.key(), r.value() + " (older)") : r);
        }
        UpgradeCheck.Result older = UpgradeCheck.compare(now.applicationId(), changed, now.applicationId(), current);
        assertFalse(older.canResume(), String.join("\n", older.explain()));
    }

    /**
     * A window moved from event time to a PROCTIME() column keeps its store's name, but the store is
     * another kind (Kafka Streams' window store, then Sluice's key-value store of open windows):
     * the new version cannot resume from the old state.
     */
    @Test
    void movingAWindowToProcessingTimeCannotResumeFromTheEventTimeWindowsState() {
        String eventTime = OptimizerFixtures.CLICKS + "CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n, "
                + "window_start FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
                + "GROUP BY user_id, window_start, window_end;\n";
        String processingTime = OptimizerFixtures.CLICKS + "CREATE VIEW arrivals AS SELECT *, PROCTIME() AS p "
                + "FROM clicks;\n" + eventTime.substring(OptimizerFixtures.CLICKS.length())
                .replace("TABLE clicks, DESCRIPTOR(ts)", "TABLE arrivals, DESCRIPTOR(p)");
        UpgradeCheck.Result result = UpgradeCheck.compare(compile(eventTime, "all"), compile(processingTime, "all"));
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        assertTrue(text.contains("over processing time"), text);
    }

    @Test
    void aStoreOfADifferentStepIsNotRetiredByADeduplicationsTable() {
        CompiledScript now = compile(LAST_CLICK, "all");
        List<StateResources.Resource> current = StateResources.of(now);
        List<StateResources.Resource> before = new ArrayList<>(current);
        before.add(new StateResources.Resource("last_click-other-store", StateResources.Kind.STORE, "last_click-other",
                List.of("last_click"), "(VARCHAR)", "rows (VARCHAR), keep last"));
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        assertFalse(result.canResume(), String.join("\n", result.explain()));
        assertEquals(UpgradeCheck.Verdict.ORPHANED, result.changes().get(0).verdict());
    }

    @Test
    void sharingASubPlanWithinAQueryMovesBothCopiesIntoTheSharedStore() {
        UpgradeCheck.Result result = UpgradeCheck.compare(compile(ShareRuleTest.HOT_USERS, "none"),
                compile(ShareRuleTest.HOT_USERS, "all"));
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        long intoShared = result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.RENAMED
                && c.resource().kind() == StateResources.Kind.STORE
                && c.detail().matches("now hot-shared-[0-9a-f]{8}-aggregate-store .*computed once.*")).count();
        assertEquals(2, intoShared, text);
    }

    private static final String BY_REGION = "CREATE TABLE users (user_id VARCHAR PRIMARY KEY, region VARCHAR, "
            + "score BIGINT) WITH ('topic' = 'users', 'format' = 'json');\n"
            + "CREATE TABLE by_region AS SELECT region, MAX(score) AS high FROM users GROUP BY region;\n";

    /** The layout of the version before: a table GROUP BY kept each input key's last row in its own store. */
    private static List<StateResources.Resource> withPreviousRowStore(List<StateResources.Resource> current) {
        List<StateResources.Resource> before = new ArrayList<>(current);
        for (StateResources.Resource r : current) {
            if (r.name().endsWith("-aggregate-store") || r.name().endsWith("-aggregate-store-changelog")) {
                before.add(new StateResources.Resource(r.name().replace("-aggregate-store", "-aggregate-previous-store"),
                        r.kind(), r.step(), r.queries(), "(VARCHAR)", r.value() + ", rows (VARCHAR, VARCHAR, BIGINT)"));
            }
        }
        return before;
    }

    @Test
    void aTableGroupBysPreviousRowStoreIsRetiredWhenItsInputTableSendsTheOldRows() {
        CompiledScript now = compile(BY_REGION, "all");
        List<StateResources.Resource> current = StateResources.of(now);
        assertTrue(current.stream().noneMatch(r -> r.name().contains("previous-store")), current.toString());
        List<StateResources.Resource> before = withPreviousRowStore(current);
        assertEquals(current.size() + 2, before.size(), "one GROUP BY: its previous-row store and changelog");
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        String text = String.join("\n", result.explain());
        assertTrue(result.canResume(), text);
        assertEquals(2, result.changes().size(), text);
        assertTrue(result.changes().stream().allMatch(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED), text);
        assertTrue(text.contains("retired store by_region-aggregate-previous-store: the GROUP BY by_region-aggregate "
                + "now receives each input row's previous value with the update"), text);
    }

    @Test
    void aPreviousRowStoreWhoseGroupByChangedItsStateIsNotRetired() {
        CompiledScript now = compile(BY_REGION, "all");
        List<StateResources.Resource> current = StateResources.of(now);
        List<StateResources.Resource> before = new ArrayList<>();
        for (StateResources.Resource r : withPreviousRowStore(current)) {
            boolean state = r.name().endsWith("-aggregate-store") || r.name().endsWith("-aggregate-store-changelog");
            before.add(state ? new StateResources.Resource(r.name(), r.kind(), r.step(), r.queries(), r.key(),
                    r.value().replace("MAX", "MIN")) : r);
        }
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        assertEquals(2, result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.ORPHANED).count(),
                text);
    }

    /** A regular inner join of two streams (no time bound), Flink's dialect. */
    private static final String REGULAR_JOIN = OptimizerFixtures.CLICKS
            + "CREATE STREAM views (user_id VARCHAR, item VARCHAR, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'views', 'format' = 'json');\n"
            + "CREATE STREAM clicked_views AS SELECT c.user_id, c.page, v.item FROM clicks c "
            + "JOIN views v ON c.user_id = v.user_id;\n";

    /**
     * Before issue 13 a regular INNER join was Kafka Streams' window join with a thousand-year
     * window, its rows in {@code <step>-store-this-join-store} and {@code -other-join-store}. This
     * version keeps them in Sluice's own stores: an application with the old stores must not
     * resume (every row the join holds would be lost), and the check says why.
     */
    @Test
    void aRegularJoinsWindowStoresFromBeforeItsOwnOperatorBlockTheResumeAndSayWhy() {
        CompiledScript now = compile(REGULAR_JOIN, "all");
        List<StateResources.Resource> current = StateResources.of(now);
        List<StateResources.Resource> rowStores = current.stream().filter(r -> r.name().contains("-rows-store")).toList();
        assertEquals(4, rowStores.size(), "two stores and their changelogs: " + current);
        assertTrue(rowStores.stream().allMatch(r -> r.value().endsWith(StateResources.REGULAR_INNER_ROWS)),
                rowStores.toString());
        // the version before: the same resources, but the window join's stores instead of the rows stores
        List<StateResources.Resource> before = new ArrayList<>();
        for (StateResources.Resource r : current) {
            if (!r.name().contains("-rows-store")) {
                before.add(r);
            } else if (r.name().contains("-left-rows-store")) {
                for (String role : List.of("-store-this-join-store", "-store-other-join-store")) {
                    before.add(new StateResources.Resource(r.name().replace("-left-rows-store", role), r.kind(),
                            r.step(), r.queries(), r.key(), r.value().replace(", " + StateResources.REGULAR_INNER_ROWS, "")));
                }
            }
        }
        UpgradeCheck.Result result = UpgradeCheck.compare(now.applicationId(), before, now.applicationId(), current);
        String text = String.join("\n", result.explain());
        assertFalse(result.canResume(), text);
        assertEquals(4, result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.ORPHANED
                && c.detail().startsWith("a regular join's rows in Kafka Streams' window store; this version keeps "
                + "them in ") && c.detail().contains("-left-rows-store")
                && c.detail().contains("-right-rows-store")).count(), text);
        assertEquals(4, result.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.NEW).count(), text);
        assertTrue(text.endsWith("the new version cannot resume from the old state: reset the application (or keep "
                + "the old names)"), text);
    }

    private static final String THREE_WAY_JOIN = OptimizerFixtures.CLICKS
            + "CREATE STREAM views (user_id VARCHAR, item VARCHAR, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'views', 'format' = 'json');\n"
            + "CREATE STREAM carts (user_id VARCHAR, sku VARCHAR, ts TIMESTAMP, "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('topic' = 'carts', 'format' = 'json');\n"
            + "CREATE STREAM journeys AS SELECT c.user_id, c.page, v.item, k.sku FROM clicks c "
            + "JOIN views v ON v.user_id = c.user_id JOIN carts k ON k.user_id = c.user_id;\n";

    private static CompiledScript compileWith(String sql, dev.sluice.runtime.build.BuildOptions options) {
        return new dev.sluice.compiler.SluiceCompiler(dev.sluice.runtime.function.DefaultFunctionCatalog.wallClock())
                .compile(sql, "test", options);
    }

    /**
     * Two regular INNER joins on one key now run as one three-way operator, which keeps the stores
     * of the inner join's inputs and of the outer join's right input but not the outer join's left
     * rows (the inner join's pairs). An application that ran the binary joins resumes: that store
     * is retired. One that ran the three-way operator cannot go back to the binary joins: their
     * left rows store would start empty and miss every pair made before.
     */
    @Test
    void theOuterJoinsLeftRowsAreRetiredByTheThreeWayJoinAndCannotComeBackEmpty() {
        CompiledScript binary = compileWith(THREE_WAY_JOIN,
                dev.sluice.runtime.build.BuildOptions.PRODUCTION.withoutThreeWayJoins());
        CompiledScript threeWay = compileWith(THREE_WAY_JOIN, dev.sluice.runtime.build.BuildOptions.PRODUCTION);
        assertEquals(8, StateResources.of(binary).stream().filter(r -> r.name().contains("-rows-store")).count());
        assertEquals(6, StateResources.of(threeWay).stream().filter(r -> r.name().contains("-rows-store")).count());

        UpgradeCheck.Result forward = UpgradeCheck.compare(binary, threeWay);
        String text = String.join("\n", forward.explain());
        assertTrue(forward.canResume(), text);
        assertEquals(2, forward.changes().size(), text);
        assertTrue(forward.changes().stream().allMatch(c -> c.verdict() == UpgradeCheck.Verdict.RETIRED
                && c.resource().name().contains("-left-rows-store")
                && c.detail().contains("one three-way join") && c.detail().contains("-right-rows-store")), text);

        UpgradeCheck.Result back = UpgradeCheck.compare(threeWay, binary);
        String backText = String.join("\n", back.explain());
        assertFalse(back.canResume(), backText);
        assertEquals(2, back.changes().stream().filter(c -> c.verdict() == UpgradeCheck.Verdict.UNFILLED
                && c.detail().contains("would start empty")).count(), backText);
    }
}
