package dev.sluice.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The configuration `sluice run` (and the broker benchmark, through the same code) gives an application. */
class SluiceApplicationTest {
    private static final String SCRIPT = """
            CREATE STREAM clicks (user_id VARCHAR, ts TIMESTAMP ROWTIME,
                WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
              WITH ('topic' = 'clicks', 'format' = 'json', 'dlq_topic' = 'clicks-dead');
            SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id, TUMBLE(ts, INTERVAL '1' MINUTE);
            """;

    private static CompiledScript compile() {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(SCRIPT, "app", BuildOptions.PRODUCTION);
    }

    private static Properties properties(CompiledScript script, boolean embedded) {
        return SluiceApplication.properties(script,
                StreamsProperties.userSettings(script.settings(), Optional.empty(), EnvPlaceholders.of(Map.of())),
                "127.0.0.1:9092", Path.of("/tmp/state"), embedded);
    }

    @Test
    void anApplicationCountsAndDeadLettersBadAndLateRecordsInsteadOfFailingOnThem() {
        Properties p = properties(compile(), true);
        assertEquals(SluiceExceptionHandlers.Processing.class.getName(),
                p.getProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG),
                "a late record the guards reject must be dead-lettered, not kill the stream thread");
        assertEquals(SluiceExceptionHandlers.Deserialization.class.getName(),
                p.getProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals("clicks-dead", p.getProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("sluice-app", p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Test
    void onlyTheEmbeddedBrokerKeepsWindowChangelogsRegardlessOfTheWallClock() {
        CompiledScript script = compile();
        assertEquals(String.valueOf(100L * 365 * 24 * 3600 * 1000), properties(script, true)
                .getProperty(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG));
        assertNull(properties(script, false)
                .getProperty(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG));
    }
}
