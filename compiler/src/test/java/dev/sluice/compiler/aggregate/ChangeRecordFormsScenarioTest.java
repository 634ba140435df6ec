package dev.sluice.compiler.aggregate;

import dev.sluice.compiler.ChangelogDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CREATE STREAM ... AS over an updating result writes each change as a record with an {@code op}
 * column. By default in Flink's changelog-json form (+I, -U/+U, -D with the whole row); with
 * {@code 'changelog.mode' = 'upsert'} as upserts (+U) and deletions (-D, key columns only). Every
 * expected list is Flink's changelog ({@code oracle.sh --changelog raw --no-sort}) in sink order.
 */
class ChangeRecordFormsScenarioTest {
    private static final String EVENTS = "CREATE STREAM events (user_id VARCHAR, ts TIMESTAMP ROWTIME) "
            + "WITH ('topic' = 'events', 'format' = 'json');\n";
    private static final String PER_USER = "SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id";

    private static List<String> run(String sql) {
        try (ChangelogDriver d = new ChangelogDriver(EVENTS + sql)) {
            long t = 1_000;
            for (String user : List.of("u1", "u1", "u2", "u1", "u2")) {
                d.pipe("events", "{\"user_id\":\"" + user + "\",\"ts\":" + t + "}", t);
                t += 1_000;
            }
            return d.read().stream().map(r -> r.substring(r.indexOf("-> ") + 3, r.lastIndexOf(" @"))).toList();
        }
    }

    /** Flink: +I(u1,1) -U(u1,1) +U(u1,2) +I(u2,1) -U(u1,2) +U(u1,3) -U(u2,1) +U(u2,2). */
    @Test
    void anUpdatingResultIsWrittenInFlinksRetractFormByDefault() {
        assertEquals(List.of(
                "{\"user_id\":\"u1\",\"n\":1,\"op\":\"+I\"}",
                "{\"user_id\":\"u1\",\"n\":1,\"op\":\"-U\"}",
                "{\"user_id\":\"u1\",\"n\":2,\"op\":\"+U\"}",
                "{\"user_id\":\"u2\",\"n\":1,\"op\":\"+I\"}",
                "{\"user_id\":\"u1\",\"n\":2,\"op\":\"-U\"}",
                "{\"user_id\":\"u1\",\"n\":3,\"op\":\"+U\"}",
                "{\"user_id\":\"u2\",\"n\":1,\"op\":\"-U\"}",
                "{\"user_id\":\"u2\",\"n\":2,\"op\":\"+U\"}"), run("CREATE STREAM c AS " + PER_USER));
    }

    /** Flink (histogram of the counts): +I(1,1) -D(1,1) +I(2,1) +I(1,1) -D(2,1) +I(3,1) -D(1,1) +I(2,1). */
    @Test
    void aDeletedRowIsWrittenWholeInTheRetractForm() {
        assertEquals(List.of(
                "{\"n\":1,\"users\":1,\"op\":\"+I\"}",
                "{\"n\":1,\"users\":1,\"op\":\"-D\"}",
                "{\"n\":2,\"users\":1,\"op\":\"+I\"}",
                "{\"n\":1,\"users\":1,\"op\":\"+I\"}",
                "{\"n\":2,\"users\":1,\"op\":\"-D\"}",
                "{\"n\":3,\"users\":1,\"op\":\"+I\"}",
                "{\"n\":1,\"users\":1,\"op\":\"-D\"}",
                "{\"n\":2,\"users\":1,\"op\":\"+I\"}"),
                run("CREATE STREAM h AS SELECT n, COUNT(*) AS users FROM (" + PER_USER + ") t GROUP BY n"));
    }

    /** The upsert form: Flink's upsert-kafka view of the same changes, +U per new row, -D by key. */
    @Test
    void theUpsertFormWritesOnlyTheNewRowsAndKeyedDeletions() {
        assertEquals(List.of(
                "{\"n\":1,\"users\":1,\"op\":\"+U\"}",
                "{\"n\":1,\"users\":null,\"op\":\"-D\"}",
                "{\"n\":2,\"users\":1,\"op\":\"+U\"}",
                "{\"n\":1,\"users\":1,\"op\":\"+U\"}",
                "{\"n\":2,\"users\":null,\"op\":\"-D\"}",
                "{\"n\":3,\"users\":1,\"op\":\"+U\"}",
                "{\"n\":1,\"users\":null,\"op\":\"-D\"}",
                "{\"n\":2,\"users\":1,\"op\":\"+U\"}"),
                run("CREATE STREAM h WITH ('changelog.mode' = 'upsert') AS SELECT n, COUNT(*) AS users FROM ("
                        + PER_USER + ") t GROUP BY n"));
    }
}
