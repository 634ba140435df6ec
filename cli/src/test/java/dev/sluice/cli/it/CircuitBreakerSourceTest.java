package dev.sluice.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.compiler.endpoint.ConnectorPlan;
import dev.sluice.connect.breaker.CircuitBreaker;
import dev.sluice.connect.breaker.CircuitBreakerSourceConnector;
import dev.sluice.connect.breaker.CircuitBreakerSourceTask;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Seed 001's circuit breaker (statement 32's options) on a real PostgreSQL: the connector the compiler
 * plans is run as a Connect worker runs a source task (initialize, start, poll; the context gives no
 * stored offsets and real Kafka plugin metrics). When the primary table disappears, polls fail; at
 * failure_threshold the breaker opens and the fallback query's rows are emitted once; after
 * timeout_seconds it half-opens, and success_threshold good polls close it. The fallback query's
 * columns are checked against the source's at compile time.
 */
class CircuitBreakerSourceTest {
    private static final String DB = "breaker";

    @Test
    void failedPollsOpenTheBreakerTheFallbackRowsAreEmittedAndGoodPollsCloseItAfterTheTimeout() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        pg.execute("postgres", "DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB);
        pg.execute(DB, "CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT)",
                "CREATE TABLE backup_events (id BIGINT PRIMARY KEY, kind TEXT)",
                "INSERT INTO events VALUES (1, 'live')",
                "INSERT INTO backup_events VALUES (7, 'cached'), (8, 'cached')");
        CompiledScript script = compile(pg, "SELECT * FROM backup_events LIMIT 100");
        ConnectorPlan plan = script.connectors().get(0);
        assertEquals(CircuitBreakerSourceConnector.class.getName(), plan.config().get("connector.class"));
        assertEquals("dev.sluice.connect.jdbc.JdbcQuerySourceConnector", plan.config().get("breaker.delegate.connector.class"));

        CircuitBreakerSourceConnector connector = new CircuitBreakerSourceConnector();
        connector.start(plan.config());
        Map<String, String> taskConfig = connector.taskConfigs(1).get(0);
        Metrics metrics = new Metrics();
        CircuitBreakerSourceTask task = new CircuitBreakerSourceTask();
        task.initialize(new Context(taskConfig, new PluginMetricsImpl(metrics, Map.of("task", "breaker-test"))));
        task.start(taskConfig);
        try {
            assertEquals(List.of("{\"id\":1,\"kind\":\"live\"}"), values(pollUntil(task, r -> !r.isEmpty())));
            assertEquals(CircuitBreaker.State.CLOSED, task.state());

            pg.execute(DB, "ALTER TABLE events RENAME TO events_moved"); // the primary fails
            List<SourceRecord> fallback = pollUntil(task, r -> !r.isEmpty());
            assertEquals(CircuitBreaker.State.OPEN, task.state());
            assertEquals(List.of("{\"id\":7,\"kind\":\"cached\"}", "{\"id\":8,\"kind\":\"cached\"}"), values(fallback));
            assertEquals(plan.topic(), fallback.get(0).topic());
            assertEquals(1.0, metric(metrics, "circuit-breaker-state"));
            assertEquals(1.0, metric(metrics, "circuit-breaker-opened-total"));
            assertNull(task.poll(), "open: the source is not asked, the fallback rows are written once");

            pg.execute(DB, "ALTER TABLE events_moved RENAME TO events");
            pg.execute(DB, "INSERT INTO events VALUES (2, 'live')");
            // after timeout_seconds (1) the breaker half-opens; two good polls (success_threshold) close it
            List<SourceRecord> back = pollUntil(task, r -> !r.isEmpty());
            assertEquals(List.of("{\"id\":1,\"kind\":\"live\"}", "{\"id\":2,\"kind\":\"live\"}"), values(back));
            assertEquals(CircuitBreaker.State.HALF_OPEN, task.state());
            pollUntil(task, r -> task.state() == CircuitBreaker.State.CLOSED);
            assertEquals(0.0, metric(metrics, "circuit-breaker-state"));
            assertEquals(1.0, metric(metrics, "circuit-breaker-opened-total"));
        } finally {
            task.stop();
            connector.stop();
            metrics.close();
        }
    }

    @Test
    void aFallbackQueryWhoseColumnsTheSourceDoesNotHaveIsACompileError() {
        PostgresServer pg = PostgresServer.shared();
        pg.execute("postgres", "DROP DATABASE IF EXISTS " + DB + "_types", "CREATE DATABASE " + DB + "_types");
        pg.execute(DB + "_types", "CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT)",
                "CREATE TABLE backup_events (id BIGINT PRIMARY KEY, kind INT, extra TEXT)");
        SqlException types = assertThrows(SqlException.class, () -> compile(pg, DB + "_types",
                "SELECT id, kind FROM backup_events"));
        assertEquals("fallback_query returns `kind` as INTEGER, the source has it as VARCHAR", types.getMessage());
        SqlException extra = assertThrows(SqlException.class, () -> compile(pg, DB + "_types",
                "SELECT id, extra FROM backup_events"));
        assertTrue(extra.getMessage().startsWith("fallback_query returns a column `extra` that"), extra.getMessage());
    }

    private static CompiledScript compile(PostgresServer pg, String fallback) {
        return compile(pg, DB, fallback);
    }

    private static CompiledScript compile(PostgresServer pg, String db, String fallback) {
        int port = Integer.parseInt(pg.jdbcUrl(db).replaceAll(".*:(\\d+)/.*", "$1"));
        String sql = "CREATE STREAM protected_stream AS\n"
                + "SELECT * FROM 'postgresql://postgres@127.0.0.1:" + port + "/" + db + "'\n"
                + "WITH (\n    query = 'SELECT id, kind FROM events ORDER BY id',\n    poll_interval = '50 ms',\n"
                + "    circuit_breaker_enabled = true,\n    failure_threshold = 2,\n    timeout_seconds = 1,\n"
                + "    success_threshold = 2,\n    fallback_query = '" + fallback + "'\n)";
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "breaker", BuildOptions.PRODUCTION);
    }

    private static List<SourceRecord> pollUntil(CircuitBreakerSourceTask task, Predicate<List<SourceRecord>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<SourceRecord> r = task.poll();
            List<SourceRecord> records = r == null ? List.of() : r;
            if (done.test(records)) {
                return records;
            }
        }
        throw new AssertionError("timed out polling; breaker " + task.state());
    }

    private static List<Object> values(List<SourceRecord> records) {
        List<Object> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value()));
        return out;
    }

    private static Object metric(Metrics metrics, String name) {
        for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : metrics.metrics().entrySet()) {
            if (e.getKey().name().equals(name)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + " in " + metrics.metrics().keySet());
    }

    /** What a worker gives a source task: its configs, no stored offsets (a first start), plugin metrics. */
    private record Context(Map<String, String> configs, PluginMetrics pluginMetrics) implements SourceTaskContext {
        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return Map.of();
                }
            };
        }
    }
}
