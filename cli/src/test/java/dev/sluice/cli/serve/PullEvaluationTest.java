package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.FormatSerdeFactory;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pull queries are compiled by Sluice's compiler over the maintained tables' sink topics and replayed
 * over their current rows: any SELECT works, with the pipeline's own semantics.
 */
class PullEvaluationTest {
    static final String APP = """
            CREATE STREAM clicks (user_id VARCHAR, region VARCHAR, ms INT) WITH ('topic' = 'clicks', 'format' = 'json');
            CREATE TABLE counts WITH ('topic' = 'counts', 'format' = 'json') AS
              SELECT user_id, COUNT(*) AS n, SUM(ms) AS total_ms FROM clicks GROUP BY user_id;
            CREATE TABLE regions WITH ('topic' = 'regions', 'format' = 'json') AS
              SELECT user_id, MAX(region) AS region FROM clicks GROUP BY user_id;
            CREATE VIEW busy AS SELECT user_id, n FROM counts WHERE n >= 2;
            """;

    private static final CompiledScript SCRIPT = new SluiceCompiler(DefaultFunctionCatalog.wallClock())
            .compile(APP, "pull_test", BuildOptions.PRODUCTION);

    /** The current rows of both served tables, as their sink topics hold them. */
    private static List<String> evaluate(String select) {
        return rows(select).stream().map(ArrayNode::toString).toList();
    }

    private static void counts(SelectEvaluator e, String user, long n, int ms) {
        e.pipe("counts", key(user), ("{\"user_id\":\"" + user + "\",\"n\":" + n + ",\"total_ms\":" + ms + "}")
                .getBytes(StandardCharsets.UTF_8), 1000);
    }

    private static void regions(SelectEvaluator e, String user, String region) {
        e.pipe("regions", key(user), ("{\"user_id\":\"" + user + "\",\"region\":\"" + region + "\"}")
                .getBytes(StandardCharsets.UTF_8), 1000);
    }

    private static byte[] key(String user) {
        var q = SCRIPT.queries().get(0);
        return new FormatSerdeFactory().key(q.keySchema(), q.plan().sink().orElseThrow()).serializer()
                .serialize("counts", Row.of(user));
    }

    @Test
    void scanWithWhereOrderByAndLimit() {
        assertEquals(List.of("[\"u1\",3]", "[\"u3\",2]"),
                evaluate("SELECT user_id, n FROM counts WHERE n > 1 ORDER BY n DESC LIMIT 2"));
    }

    @Test
    void aggregatesOverAWholeTableCountEveryKey() {
        assertEquals(List.of("[6,3]"), evaluate("SELECT SUM(n) AS total, COUNT(*) AS users FROM counts"));
    }

    @Test
    void groupByOverAJoinOfTwoMaintainedTables() {
        assertEquals(List.of("[\"eu\",5]", "[\"us\",1]"), evaluate("""
                SELECT r.region, SUM(c.n) AS clicks FROM counts c JOIN regions r ON c.user_id = r.user_id
                GROUP BY r.region ORDER BY r.region"""));
    }

    @Test
    void aViewOverAMaintainedTableIsComputedInline() {
        assertEquals(List.of("[\"u1\",3]", "[\"u3\",2]"), evaluate("SELECT * FROM busy ORDER BY user_id"));
    }

    @Test
    void anErrorPointsIntoTheUsersSelectNotTheGeneratedScript() {
        SqlException e = assertThrows(SqlException.class, () -> evaluate("SELECT user_id,\n  nn FROM counts"));
        assertEquals(2, e.line(), e.getMessage());
        assertEquals(3, e.column(), e.getMessage());
    }

    @Test
    void anOnDemandJoinOfTwoStreamsNeedsNoTimeBound() {
        String app = APP + "CREATE STREAM pages (user_id VARCHAR, title VARCHAR) WITH ('topic' = 'pages', 'format' = 'json');\n";
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(app, "pull_test", BuildOptions.PRODUCTION);
        EvaluationScript.Compiled compiled = EvaluationScript.compile(app, script, """
                SELECT c.user_id, COUNT(*) AS n FROM clicks c JOIN pages p ON c.user_id = p.user_id
                WHERE c.ms > 1 GROUP BY c.user_id ORDER BY c.user_id""");
        try (SelectEvaluator e = new SelectEvaluator(compiled)) {
            e.pipe("pages", null, "{\"user_id\":\"u1\",\"title\":\"a\"}".getBytes(StandardCharsets.UTF_8), 1_000);
            e.pipe("pages", null, "{\"user_id\":\"u2\",\"title\":\"b\"}".getBytes(StandardCharsets.UTF_8), 2_000);
            e.pipe("clicks", null, "{\"user_id\":\"u1\",\"ms\":5}".getBytes(StandardCharsets.UTF_8), 500_000_000);
            e.pipe("clicks", null, "{\"user_id\":\"u1\",\"ms\":7}".getBytes(StandardCharsets.UTF_8), 900_000_000);
            e.pipe("clicks", null, "{\"user_id\":\"u2\",\"ms\":1}".getBytes(StandardCharsets.UTF_8), 900_000_001);
            e.pipe("clicks", null, "{\"user_id\":\"u3\",\"ms\":9}".getBytes(StandardCharsets.UTF_8), 900_000_002);
            e.endOfInput();
            assertEquals(List.of("[\"u1\",2]"), e.result().stream().map(ArrayNode::toString).toList());
        }
    }

    @Test
    void aGlobalAggregateOverNoRowsAnswersOneRowAsPostgresDoes() {
        assertEquals(List.of("[0,null,null]"),
                evaluate("SELECT COUNT(*) AS users, SUM(n) AS total, MAX(user_id) AS last_user FROM counts WHERE n > 100"));
        assertEquals(List.of("[0]"), evaluate("SELECT COUNT(*) FROM counts WHERE n > 100 HAVING COUNT(*) = 0"));
        assertEquals(List.of(), evaluate("SELECT user_id, COUNT(*) AS c FROM counts WHERE n > 100 GROUP BY user_id"),
                "a GROUP BY over no rows has no groups");
        assertEquals(List.of("[3]"), evaluate("SELECT COUNT(*) AS users FROM counts"), "rows present: no extra row");
    }

    @Test
    void orderByAColumnOrAnAggregateTheSelectDoesNotReturn() {
        assertEquals(List.of("[\"u1\"]", "[\"u3\"]"),
                evaluate("SELECT user_id FROM counts ORDER BY total_ms DESC LIMIT 2"));
        assertEquals(List.of("[\"eu\",2]"), evaluate("""
                SELECT r.region, COUNT(*) FROM counts c JOIN regions r ON c.user_id = r.user_id
                GROUP BY r.region ORDER BY SUM(c.n) DESC LIMIT 1"""));
    }

    @Test
    void anUncorrelatedSubQueryIsAskedFirstAndItsValueUsedAsPostgresWould() {
        String scalar = UncorrelatedSubqueries.inline(
                "SELECT user_id, n FROM counts\nWHERE n > (\n  SELECT AVG(n) FROM counts WHERE n IS NOT NULL\n)",
                PullEvaluationTest::rows);
        assertEquals(List.of("[\"u1\",3]"), evaluate(scalar), scalar);
        String in = UncorrelatedSubqueries.inline(
                "SELECT user_id FROM counts WHERE user_id IN (SELECT user_id FROM regions WHERE region = 'eu') ORDER BY user_id",
                PullEvaluationTest::rows);
        assertEquals(List.of("[\"u1\"]", "[\"u3\"]"), evaluate(in), in);
        String correlated = "SELECT c.user_id, (SELECT COUNT(*) FROM regions r WHERE r.user_id = c.user_id) AS k FROM counts c";
        assertEquals(correlated, UncorrelatedSubqueries.inline(correlated, PullEvaluationTest::rows),
                "a correlated sub-query is left for the compiler to refuse");
    }

    private static List<ArrayNode> rows(String select) {
        EvaluationScript.Compiled compiled = EvaluationScript.compile(APP, SCRIPT, select);
        try (SelectEvaluator evaluator = new SelectEvaluator(compiled)) {
            counts(evaluator, "u1", 3, 30);
            counts(evaluator, "u2", 1, 5);
            counts(evaluator, "u3", 2, 14);
            regions(evaluator, "u1", "eu");
            regions(evaluator, "u2", "us");
            regions(evaluator, "u3", "eu");
            evaluator.endOfInput();
            return evaluator.result();
        }
    }

    @Test
    void aUnionAllOfTwoGlobalAggregatesIsAnsweredBranchByBranch() {
        String sql = """
                WITH busy_users AS (SELECT * FROM counts WHERE n > 1)
                SELECT 'busy' AS kind, COUNT(*) AS users FROM busy_users
                UNION ALL
                SELECT 'none' AS kind, COUNT(*) AS users FROM counts WHERE n > 100""";
        SqlException refused = assertThrows(SqlException.class, () -> EvaluationScript.compile(APP, SCRIPT, sql));
        assertEquals(true, refused.getMessage().contains("accepts only append-only"), refused.getMessage());
        List<String> rows = new java.util.ArrayList<>();
        for (String branch : UnionAllBranches.split(sql).orElseThrow()) {
            rows.addAll(evaluate(branch));
        }
        assertEquals(List.of("[\"busy\",2]", "[\"none\",0]"), rows);
    }
}
