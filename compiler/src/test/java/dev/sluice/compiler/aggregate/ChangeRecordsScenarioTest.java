package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CREATE STREAM ... AS over a result that updates writes each change as a record carrying its
 * operation in an {@code op} column (by default Flink's changelog-json form, +I, -U/+U, -D; with
 * {@code 'changelog.mode' = 'upsert'} '+U' or '-D'), as Flink's changelog formats do on an
 * append-only topic; the compiler says so in a note. INSERT INTO a declared STREAM, whose columns
 * have no place for the operation, still refuses updates.
 */
class ChangeRecordsScenarioTest {
    private static final String S = "CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP ROWTIME, "
            + "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('topic' = 's', 'format' = 'json');\n";

    private static void pipe(ChangelogDriver d, String k, long v, long time) {
        d.pipe("s", "{\"k\":\"" + k + "\",\"v\":" + v + ",\"ts\":" + time + "}", time);
    }

    @Test
    void aStreamOverAGroupByGetsOneUpsertRecordPerChangeWithItsOperation() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE STREAM counts WITH ('changelog.mode' = 'upsert') "
                + "AS SELECT k, COUNT(*) AS n FROM s GROUP BY k HAVING COUNT(*) < 3")) {
            pipe(d, "a", 1, 1_000);
            pipe(d, "a", 1, 2_000);
            pipe(d, "b", 1, 3_000);
            pipe(d, "a", 1, 4_000);
            assertEquals(List.of(
                    "a -> {\"k\":\"a\",\"n\":1,\"op\":\"+U\"} @1000",
                    "a -> {\"k\":\"a\",\"n\":2,\"op\":\"+U\"} @2000",
                    "b -> {\"k\":\"b\",\"n\":1,\"op\":\"+U\"} @3000",
                    // a's third row fails HAVING: its row is deleted, the record keeps its key column
                    "a -> {\"k\":\"a\",\"n\":null,\"op\":\"-D\"} @4000"), d.read());
        }
    }

    @Test
    void aWindowedEmitChangesIntoAStreamWritesEveryUpdateOfAWindow() {
        try (ChangelogDriver d = new ChangelogDriver(S + "CREATE STREAM per_minute AS SELECT "
                + "TUMBLE_START(ts, INTERVAL '1' MINUTE) AS window_start, COUNT(*) AS n FROM s "
                + "GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE) EMIT CHANGES")) {
            pipe(d, "a", 1, 1_000);
            pipe(d, "b", 1, 2_000);
            List<String> rows = d.read();
            assertEquals(3, rows.size(), rows.toString());
            assertTrue(rows.get(0).contains("\"n\":1,\"op\":\"+I\"") && rows.get(1).contains("\"n\":1,\"op\":\"-U\"")
                    && rows.get(2).contains("\"n\":2,\"op\":\"+U\""), rows.toString());
        }
    }

    @Test
    void theCompilerExplainsTheOpColumnInANote() {
        CompiledScript script = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(
                S + "CREATE STREAM counts AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;", "t", BuildOptions.PRODUCTION);
        assertTrue(script.notes().stream().anyMatch(n -> n.startsWith("counts: the result updates")
                && n.contains("`op` column")), script.notes().toString());
        assertEquals(List.of("k", "n", "op"), script.queries().get(0).schema().names());
    }

    @Test
    void insertIntoADeclaredStreamStillRefusesUpdates() {
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(S + "CREATE STREAM out (k VARCHAR, n BIGINT) WITH ('topic' = 'out', 'format' = 'json');\n"
                        + "INSERT INTO out SELECT k, COUNT(*) FROM s GROUP BY k;", "t", BuildOptions.PRODUCTION));
        assertTrue(e.getMessage().contains("is a STREAM, which only appends"), e.getMessage());
    }
}
