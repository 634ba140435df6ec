package dev.sluice.compiler;

import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 001's operational options: each takes effect (a setting of the application, with a note at
 * the option), is accepted with a note saying why it changes nothing, or is refused at its line:col.
 */
class OptionEffectsTest {
    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "opts", BuildOptions.PRODUCTION);
    }

    private static final String SOURCE = "CREATE STREAM orders (id VARCHAR, n BIGINT) WITH ('topic' = 'orders', 'format' = 'json');\n";

    @Test
    void clientTuningBecomesApplicationSettingsWithANoteAtEachOption() {
        CompiledScript s = compile(SOURCE + "CREATE STREAM fast AS SELECT id FROM orders\nWITH (\n"
                + "    linger_ms = 100,\n    compression_type = 'lz4',\n    parallelism = 4,\n    checkpoint_interval = '1 minute',\n"
                + "    prefetch_count = 5\n);");
        assertEquals("100", s.settings().get("producer.linger.ms"));
        assertEquals("lz4", s.settings().get("producer.compression.type"));
        assertEquals("4", s.settings().get("num.stream.threads"));
        assertEquals("60000", s.settings().get("commit.interval.ms"));
        assertTrue(s.notes().contains("fast: linger_ms = '100' (line 4:5): becomes producer.linger.ms = 100 for the whole"
                + " application (a Kafka client setting of the application)"), s.notes().toString());
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("fast: prefetch_count = '5' (line 8:5): accepted, ")),
                s.notes().toString());
    }

    @Test
    void aSetInTheScriptWinsOverAnOption() {
        CompiledScript s = compile("SET 'num.stream.threads' = '2';\n" + SOURCE
                + "CREATE STREAM fast AS SELECT id FROM orders WITH (parallelism = 8);");
        assertEquals("2", s.settings().get("num.stream.threads"));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("num.stream.threads is already 2")), s.notes().toString());
    }

    @Test
    void errorToleranceNoneStopsTheApplicationAndAContradictionIsRefused() {
        CompiledScript s = compile("CREATE STREAM orders (id VARCHAR) WITH ('topic' = 'orders', 'format' = 'json',"
                + " error_tolerance = 'none');\nSELECT id FROM orders;");
        assertEquals(FailFastHandlers.Deserialization.class.getName(), s.settings().get("deserialization.exception.handler"));
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE STREAM orders (id VARCHAR) WITH ("
                + "'topic' = 'orders', 'format' = 'json', on_error = 'skip', error_tolerance = 'none');\nSELECT id FROM orders;"));
        assertTrue(e.getMessage().contains("error_tolerance = 'none' contradicts on_error = 'skip'"), e.getMessage());
    }

    /** Found by {@code sluice fuzz}: an expression as cache_size_mb was a NumberFormatException (exit 70). */
    @Test
    void aValueKafkaWouldRejectAtStartIsRefusedAtTheOption() {
        SqlException cache = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM cached AS SELECT id FROM orders\nWITH (\n    cache_size_mb = ARRAY_REMOVE() OVER (ORDER BY 'x')\n);"));
        assertEquals("cache_size_mb must be a number of megabytes", cache.getMessage());
        assertEquals(4, cache.line());
        assertEquals(5, cache.column());
        SqlException batch = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM batched AS SELECT id FROM orders\nWITH (batch_size = 'many')"));
        assertEquals("batch_size must be a whole number", batch.getMessage());
        SqlException codec = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM packed AS SELECT id FROM orders\nWITH (compression_type = 'brotli')"));
        assertTrue(codec.getMessage().startsWith("compression_type must be one of"), codec.getMessage());
        assertEquals("536870912", compile(SOURCE + "CREATE STREAM cached AS SELECT id FROM orders\nWITH (cache_size_mb = 512)")
                .settings().get("statestore.cache.max.bytes"));
    }

    @Test
    void aFallbackQueryWithoutACircuitBreakerIsRefusedAtItsPlace() {
        SqlException e = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM protected AS SELECT id FROM orders\nWITH (\n"
                + "    fallback_query = 'SELECT 1'\n);"));
        assertEquals("fallback_query needs circuit_breaker_enabled = true", e.getMessage());
        assertEquals(4, e.line());
        assertEquals(5, e.column());
    }

    @Test
    void aCircuitBreakerOutsidePostgresSourcesAndLogErrorsFalseAreRefused() {
        SqlException breaker = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM p AS SELECT id FROM orders WITH (circuit_breaker_enabled = true);"));
        assertTrue(breaker.getMessage().contains("a circuit breaker wraps a PostgreSQL source's connector only"), breaker.getMessage());
        SqlException log = assertThrows(SqlException.class, () -> compile(SOURCE
                + "CREATE STREAM p AS SELECT id FROM orders WITH (log_errors = false);"));
        assertTrue(log.getMessage().startsWith("log_errors = false cannot be carried out"), log.getMessage());
    }

    @Test
    void deduplicationKeyKeepsTheFirstRowOfEachKeyOfTheWholeUnion() {
        CompiledScript s = compile(SOURCE + "CREATE STREAM other (id VARCHAR, n BIGINT) WITH ('topic' = 'other', 'format' = 'json');\n"
                + "CREATE STREAM unified AS SELECT id, n FROM orders UNION ALL SELECT id, n FROM other\n"
                + "WITH (deduplication_key = 'id', deduplication_window = '1 hour');");
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("unified: deduplication_key = 'id' (line 4:7): rows with"
                + " the same id are kept once")), s.notes().toString());
        String plan = s.queries().get(0).plan().toString();
        assertTrue(plan.contains("DeduplicateStep") && plan.contains("retentionMs=3600000"), plan);
    }
}
