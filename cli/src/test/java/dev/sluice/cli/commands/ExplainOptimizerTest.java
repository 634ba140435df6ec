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

/** {@code sluice explain} on a script with the optimizer on. */
class ExplainOptimizerTest {
    private static final String EVENTS = "CREATE STREAM events (user_id VARCHAR, revenue DOUBLE, "
            + "event_time TIMESTAMP ROWTIME) WITH ('topic' = 'events', 'format' = 'json');\n";

    @TempDir
    Path dir;

    @Test
    void explainShowsTheRulesThatFiredAndTheSharedNodes() throws IOException {
        Path script = Files.writeString(dir.resolve("two.sql"), "SET 'sluice.optimizer.rules' = 'all';\n" + EVENTS
                + "CREATE TABLE a AS SELECT user_id, COUNT(*) AS n FROM events GROUP BY user_id;\n"
                + "CREATE TABLE b AS SELECT user_id, SUM(revenue) AS r FROM events GROUP BY user_id;\n");
        StringWriter out = new StringWriter();
        int exit = SluiceMain.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "explain",
                script.toString());
        assertEquals(0, exit);
        String text = out.toString();
        assertTrue(text.contains("== optimizer (rules: pushdown, prune, rekey, colocate, onetask, share, top)"), text);
        assertTrue(text.matches("(?s).*fired share: shared-[0-9a-f]{8}-aggregate computes a-aggregate \\(a\\) = "
                + "b-aggregate \\(b\\); saves 2 stateful step\\(s\\).*"), text);
        assertTrue(text.matches("(?s).*shared Aggregate \\[shared-[0-9a-f]{8}-aggregate\\] read by a, b.*"), text);
    }
}
