package dev.sluice.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.SluiceMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice connectors} never prints an S3 key, an SSE-C key or a token written literally. */
class ConnectorsSecretsTest {

    @Test
    void literalS3AndHttpCredentialsArePrintedMaskedAndEnvironmentReferencesAsWorkerReferences(@TempDir Path dir)
            throws Exception {
        Path script = dir.resolve("s.sql");
        Files.writeString(script, "CREATE STREAM raw_events (event_id BIGINT) WITH (kafka_topic = 'raw', format = 'json');\n"
                + "CREATE STREAM lake AS SELECT event_id FROM raw_events INTO 's3://lake/events/'\n"
                + "WITH (access_key_id = 'AKIALITERAL', secret_access_key = 'literal-secret', sse_customer_key = '${SSE_KEY}');\n"
                + "CREATE STREAM api (event_id BIGINT) WITH (datasource = 'https://api.example.com/e', bearer_token = 'tok-123');\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SluiceMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), "connectors", script.toString());
        assertEquals(0, code, err.toString());
        String printed = out.toString();
        for (String secret : new String[] {"AKIALITERAL", "literal-secret", "tok-123"}) {
            assertFalse(printed.contains(secret), secret + " printed: " + printed);
        }
        assertTrue(printed.replace(" ", "").contains("\"s3.sse.customer.key\":\"${env:SSE_KEY}\""), printed);
        assertTrue(err.toString().contains("warning"), err.toString());
    }
}
