package dev.sluice.cli.it;

import dev.sluice.cli.SluiceMain;
import dev.sluice.serdes.format.avro.MockSchemaRegistry;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sluice compile} shows discovered columns and the error policy, and places discovery errors. */
class RegistryDiscoveryCompileTest {
    private static final String SCOPE = "compile-command";

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void compilePrintsTheDiscoveredColumnsDescribeAndTheErrorPolicy(@TempDir Path dir) throws IOException {
        MockSchemaRegistry.scope(SCOPE).register("payments-value", SchemaBuilder.record("Payment").fields()
                .requiredLong("id").optionalDouble("amount").endRecord());
        Path script = dir.resolve("payments.sql");
        Files.writeString(script, "CREATE STREAM payments WITH ('topic' = 'payments', 'format' = 'avro',\n"
                + "  'schema_registry_url' = 'mock://" + SCOPE + "', dlq_topic = 'payments-dlq');\n"
                + "DESCRIBE payments;\n"
                + "SELECT id FROM payments WHERE amount > 10;\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "compile", script.toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("note: payments: columns discovered from subject 'payments-value' version 1 (schema id 1) "
                + "at mock://" + SCOPE + ": (id BIGINT NOT NULL, amount DOUBLE)\n"), text);
        assertTrue(text.contains("note: DESCRIBE payments: stream (id BIGINT NOT NULL, amount DOUBLE) topic 'payments'\n"), text);
        assertTrue(text.contains("note: errors: bad records are logged, counted and sent to the dead-letter topic "
                + "'payments-dlq' (payments: on_error = 'send_to_dlq', dlq_topic = 'payments-dlq')\n"), text);
    }

    @Test
    void aMissingSubjectIsABadScriptErrorWithItsPlace(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("ghosts.sql");
        Files.writeString(script, "-- nothing registered\n"
                + "CREATE STREAM ghosts WITH ('topic' = 'ghosts', 'format' = 'avro', 'schema_registry_url' = 'mock://" + SCOPE + "');\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out), new PrintWriter(err), "compile", script.toString());
        assertEquals(65, code);
        assertTrue(err.toString().contains(script + ":2:1: error: cannot discover the columns of ghosts: the subject "
                + "'ghosts-value' does not exist in the Schema Registry at mock://" + SCOPE), err.toString());
    }
}
