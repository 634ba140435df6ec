package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.StreamsDefaults;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's {@code format = 'custom', deserializer_class = 'com.example.CustomDeserializer'}: the user's
 * class (a plain Kafka Deserializer returning a Map, see com.example.CustomDeserializer) decodes every
 * record; its Map fills the columns by name; a record it throws on is dead-lettered with the reason and
 * topic-partition@offset, and the pipeline goes on. (Seed001CompileTest compiles the statement itself,
 * taking the columns from records of the real topic read through the class.)
 */
class CustomDeserializerPipelineTest {
    private static final String DLQ = "events-dlq";
    private static final String SQL = "CREATE STREAM events (event_id BIGINT, event_type VARCHAR, decoded_by VARCHAR)\n"
            + "WITH ('topic' = 'events', format = 'custom', deserializer_class = 'com.example.CustomDeserializer',\n"
            + "      poll_timeout_ms = 5000);\n"
            + "CREATE STREAM clicks WITH ('topic' = 'clicks', 'format' = 'json') AS\n"
            + "SELECT event_id, decoded_by FROM events WHERE event_type = 'click';\n";

    @Test
    void theUserClassDecodesEachRecordAndARecordItRefusesIsDeadLetteredWhileTheNextIsRead() throws Exception {
        CompiledScript s = new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(SQL, "custom",
                BuildOptions.PRODUCTION);
        Properties props = StreamsDefaults.defaults();
        props.putAll(s.settings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "custom-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("custom-test").toString());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
        try (TopologyTestDriver driver = new TopologyTestDriver(s.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("events", new StringSerializer(), new StringSerializer());
            in.pipeInput("{\"event_id\":1,\"event_type\":\"click\"}");
            in.pipeInput("not a record this class can read");
            in.pipeInput("{\"event_id\":3,\"event_type\":\"view\"}");
            in.pipeInput("{\"event_id\":4,\"event_type\":\"click\"}");
            // the WITH options configured the class (it echoes poll_timeout_ms into decoded_by)
            assertEquals(List.of("{\"event_id\":1,\"decoded_by\":\"CustomDeserializer(poll_timeout_ms=5000)\"}",
                    "{\"event_id\":4,\"decoded_by\":\"CustomDeserializer(poll_timeout_ms=5000)\"}"),
                    driver.createOutputTopic("clicks", new StringDeserializer(), new StringDeserializer()).readValuesToList());
            List<TestRecord<String, String>> dead = driver.createOutputTopic(DLQ, new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList();
            assertEquals(1, dead.size(), dead.toString());
            assertEquals("not a record this class can read", dead.get(0).value());
            String headers = headers(dead.get(0));
            assertTrue(headers.contains("sluice.source.topic=events") && headers.contains("sluice.source.offset=1")
                    && headers.contains("CustomDeserializer: not a JSON object"), headers);
        }
    }

    @Test
    void aClassThatIsNotOnTheClassPathIsAnErrorAtTheOptionThatNamesIt() {
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .compile(SQL.replace("com.example.CustomDeserializer", "com.example.Missing"), "custom", BuildOptions.PRODUCTION));
        assertTrue(e.getMessage().contains("deserializer_class class 'com.example.Missing' is not on the classpath: add the jar"),
                e.getMessage());
        assertEquals(2, e.line());
    }

    private static String headers(TestRecord<String, String> r) {
        StringBuilder out = new StringBuilder();
        for (Header h : r.headers()) {
            out.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString();
    }
}
