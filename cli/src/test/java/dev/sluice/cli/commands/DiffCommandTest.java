package dev.sluice.cli.commands;

import dev.sluice.cli.SluiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffCommandTest {
    private static final String EVENTS = "CREATE STREAM events (user_id VARCHAR, revenue DOUBLE, "
            + "event_time TIMESTAMP ROWTIME) WITH ('topic' = 'events', 'format' = 'json');\n";
    private static final String PER_USER = "CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n%s FROM events "
            + "GROUP BY user_id;\n";
    private static final String HOURLY = "CREATE STREAM %s AS SELECT user_id, COUNT(*) AS n FROM events "
            + "GROUP BY user_id, TUMBLE(event_time, INTERVAL '%d' MINUTE);\n";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run diff(String oldSql, String newSql) throws IOException {
        Path oldFile = Files.writeString(dir.resolve("old.sql"), oldSql);
        Path newFile = Files.writeString(dir.resolve("new.sql"), newSql);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "diff", oldFile.toString(),
                newFile.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theSameScriptResumes() throws IOException {
        String sql = EVENTS + String.format(PER_USER, "");
        Run run = diff(sql, sql);
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("no state store or internal topic changes"), run.out());
    }

    @Test
    void anAddedAggregateColumnReinterpretsTheAggregationStore() throws IOException {
        Run run = diff(EVENTS + String.format(PER_USER, ""), EVENTS + String.format(PER_USER, ", SUM(revenue) AS total"));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("query per_user:"), run.out());
        assertTrue(run.out().contains("changed schema store per_user-aggregate-store: window none, emit FINAL, "
                + "accumulators [COUNT()] -> window none, emit FINAL, accumulators [COUNT(), SUM(DOUBLE)]"), run.out());
        // The repartition topic now carries revenue too: old in-flight records would be misread.
        assertTrue(run.out().contains("changed schema repartition sluice-new-per_user-groupby-repartition"), run.out());
        assertTrue(run.out().contains("cannot resume"), run.out());
    }

    @Test
    void anAddedStatelessColumnChangesNoState() throws IOException {
        Run run = diff(EVENTS + "CREATE STREAM big AS SELECT user_id FROM events WHERE revenue > 10;\n",
                EVENTS + "CREATE STREAM big AS SELECT user_id, revenue FROM events WHERE revenue > 10;\n");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("can resume"), run.out());
    }

    @Test
    void aChangedWindowSizeReinterpretsTheWindowStore() throws IOException {
        Run run = diff(EVENTS + String.format(HOURLY, "per_window", 60), EVENTS + String.format(HOURLY, "per_window", 30));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("changed schema store per_window-aggregate-store: window TUMBLE 3600000/3600000 ms"
                + " grace 0, emit FINAL, accumulators [COUNT()], panes per key (state format 24) -> window TUMBLE"
                + " 1800000/1800000 ms grace 0"), run.out());
    }

    @Test
    void aChangedOverFrameReinterpretsTheOverStore() throws IOException {
        String query = "CREATE STREAM recent AS SELECT user_id, AVG(revenue) OVER (PARTITION BY user_id "
                + "ORDER BY event_time ROWS BETWEEN %d PRECEDING AND CURRENT ROW) AS a FROM events;\n";
        Run run = diff(EVENTS + String.format(query, 10), EVENTS + String.format(query, 5));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("changed schema store recent-over-store"), run.out());
        assertTrue(run.out().contains("ROWS BETWEEN 10 PRECEDING AND CURRENT ROW -> "), run.out());
    }

    @Test
    void aRenamedQueryLeavesItsStateUnderTheOldName() throws IOException {
        Run run = diff(EVENTS + String.format(HOURLY, "per_hour", 60), EVENTS + String.format(HOURLY, "hourly", 60));
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("query per_hour:"), run.out());
        assertTrue(run.out().contains("renamed store per_hour-aggregate-store: now hourly-aggregate-store "
                + "(step per_hour-aggregate -> hourly-aggregate)"), run.out());
        assertTrue(run.out().contains("renamed repartition sluice-new-per_hour-groupby-repartition: now "
                + "sluice-new-hourly-groupby-repartition"), run.out());
    }

    @Test
    void addingAQueryStartsItsStateEmptyAndResumes() throws IOException {
        Run run = diff(EVENTS + String.format(PER_USER, ""),
                EVENTS + String.format(PER_USER, "") + String.format(HOURLY, "hourly", 60));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("new store hourly-aggregate-store: starts empty"), run.out());
    }

    @Test
    void turningTheRulesOnByDefaultRenamesTheSharedStores() throws IOException {
        String two = EVENTS + "CREATE TABLE a AS SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id;\n"
                + "CREATE TABLE b AS SELECT user_id, SUM(revenue) AS r FROM events GROUP BY user_id;\n";
        // an application started with the rules off, recompiled with the default (all rules on)
        Run run = diff("SET 'sluice.optimizer.rules' = 'none';\n" + two, two);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("orphaned store a-aggregate-store"), run.out());
        assertTrue(run.out().matches("(?s).*new store shared-[0-9a-f]{8}-aggregate-store: starts empty.*"), run.out());
    }

    @Test
    void aBadScriptIsASqlErrorWithItsPlace() throws IOException {
        Run run = diff(EVENTS, EVENTS + "CREATE TABLE t AS SELECT nope FROM events;\n");
        assertEquals(65, run.exit());
        assertTrue(run.err().contains("new.sql:2:"), run.err());
    }
}
