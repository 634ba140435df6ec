package dev.sluice.compiler.schema;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.build.SluiceExceptionHandlers;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 001's schema evolution: ALTER STREAM ADD/DROP/ALTER COLUMN and CHECK constraints enforced per record. */
class AlterAndCheckTest {
    private static final String ORDERS = "CREATE STREAM orders (order_id BIGINT, amount DOUBLE, status VARCHAR, "
            + "obsolete_field VARCHAR) WITH ('topic' = 'orders', 'format' = 'json');\n";

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "t", BuildOptions.PRODUCTION);
    }

    @Test
    void alterStreamChangesTheColumnsThatLaterQueriesRead() {
        CompiledScript s = compile(ORDERS
                + "ALTER STREAM orders ADD COLUMN discount DECIMAL(5,2) DEFAULT 0.0, ADD COLUMN promo_code VARCHAR(50);\n"
                + "ALTER STREAM orders DROP COLUMN obsolete_field;\n"
                + "ALTER STREAM orders ALTER COLUMN amount TYPE DECIMAL(12,4);\n"
                + "CREATE STREAM out AS SELECT * FROM orders;");
        assertEquals("(order_id BIGINT, amount DECIMAL(12, 4), status VARCHAR, discount DECIMAL(5, 2), promo_code VARCHAR)",
                s.queries().get(0).schema().toString().replace("`", ""));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("DEFAULT 0.0 for records without it")), s.notes().toString());
    }

    @Test
    void describeAndShowCreateFormatJsonPrintTheColumnsAndConstraints() {
        CompiledScript s = compile(ORDERS + "ALTER STREAM orders ADD CONSTRAINT amount_positive CHECK (amount > 0);\n"
                + "DESCRIBE STREAM orders;\nSHOW CREATE STREAM orders FORMAT JSON;");
        String describe = s.notes().stream().filter(n -> n.startsWith("DESCRIBE")).findFirst().orElseThrow();
        assertEquals("DESCRIBE orders: stream (order_id BIGINT, amount DOUBLE, status VARCHAR, obsolete_field VARCHAR) "
                + "topic 'orders' constraints amount_positive CHECK (amount > 0)", describe);
        String json = s.notes().stream().filter(n -> n.startsWith("SHOW CREATE")).findFirst().orElseThrow();
        assertTrue(json.startsWith("SHOW CREATE orders FORMAT JSON: {\"name\":\"orders\",\"kind\":\"STREAM\","
                + "\"topic\":\"orders\",\"columns\":[{\"name\":\"order_id\",\"type\":\"BIGINT\",\"nullable\":true},"), json);
        assertTrue(json.contains("\"constraints\":[{\"name\":\"amount_positive\",\"check\":\"amount > 0\"}]"), json);
    }

    @Test
    void droppedColumnIsGoneForQueriesAfterTheAlterWhileQueriesBeforeItAndTheRecordsKeepIt() throws Exception {
        // seed 001 statement 25: records written before (and after) still carry obsolete_field; readers
        // after the ALTER no longer see it (a new schema reading old records: backward compatible)
        CompiledScript s = compile(ORDERS
                + "CREATE STREAM before_drop AS SELECT order_id, obsolete_field FROM orders;\n"
                + "ALTER STREAM orders\nDROP COLUMN obsolete_field;\n"
                + "CREATE STREAM after_drop AS SELECT * FROM orders;");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "drop-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("drop-test").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(s.topology(), props)) {
            driver.createInputTopic("orders", new StringSerializer(), new StringSerializer()).pipeInput(null,
                    "{\"order_id\":1,\"amount\":5.0,\"status\":\"pending\",\"obsolete_field\":\"x\"}", 1000L);
            assertEquals(List.of("{\"order_id\":1,\"obsolete_field\":\"x\"}"), driver.createOutputTopic("before_drop",
                    new StringDeserializer(), new StringDeserializer()).readValuesToList());
            assertEquals(List.of("{\"order_id\":1,\"amount\":5.0,\"status\":\"pending\"}"), driver.createOutputTopic(
                    "after_drop", new StringDeserializer(), new StringDeserializer()).readValuesToList());
        }
        SqlException read = assertThrows(SqlException.class, () -> compile(ORDERS
                + "ALTER STREAM orders DROP COLUMN obsolete_field;\nSELECT obsolete_field FROM orders;"));
        assertEquals(3, read.line(), read.getMessage());
    }

    @Test
    void droppingAnUnknownColumnSaysWhichAndSuggests() {
        SqlException e = assertThrows(SqlException.class, () -> compile(ORDERS + "ALTER STREAM orders DROP COLUMN statuss;"));
        assertTrue(e.getMessage().contains("has no column `statuss`"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("status"), e.hint().orElseThrow());
    }

    @Test
    void aCheckConstraintDeadLettersViolatingRecordsWithItsNameAndThePipelineGoesOn() throws Exception {
        CompiledScript s = compile(ORDERS
                + "ALTER STREAM orders\n"
                + "ADD CONSTRAINT amount_positive CHECK (amount > 0),\n"
                + "ADD CONSTRAINT valid_status CHECK (status IN ('pending', 'completed', 'cancelled'));\n"
                + "CREATE STREAM good AS SELECT order_id FROM orders;");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "check-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("check-test").toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "orders-dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(s.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
            in.pipeInput(null, "{\"order_id\":1,\"amount\":5.0,\"status\":\"pending\"}", 1000L);
            in.pipeInput(null, "{\"order_id\":2,\"amount\":-1.0,\"status\":\"pending\"}", 2000L);
            in.pipeInput(null, "{\"order_id\":3,\"amount\":7.0,\"status\":\"lost\"}", 3000L);
            in.pipeInput(null, "{\"order_id\":4,\"amount\":null,\"status\":\"completed\"}", 4000L); // UNKNOWN passes
            in.pipeInput(null, "{\"order_id\":5,\"amount\":2.0,\"status\":\"cancelled\"}", 5000L);
            List<String> good = driver.createOutputTopic("good", new StringDeserializer(), new StringDeserializer())
                    .readValuesToList();
            assertEquals(List.of("{\"order_id\":1}", "{\"order_id\":4}", "{\"order_id\":5}"), good);
            List<String> reasons = new ArrayList<>();
            for (TestRecord<String, String> r : driver.createOutputTopic("orders-dlq", new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList()) {
                StringBuilder why = new StringBuilder();
                for (Header h : r.headers()) {
                    if (h.key().contains("message") || h.key().contains("exception")) {
                        why.append(new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
                reasons.add(why.toString());
            }
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains("CHECK constraint amount_positive violated: amount > 0"), reasons.get(0));
            assertTrue(reasons.get(1).contains("CHECK constraint valid_status violated"), reasons.get(1));
        }
    }

    @Test
    void checksDeclaredInCreateAreEnforcedWithTheirNamesAndDefaultsFillAbsentColumns() throws Exception {
        CompiledScript s = compile("CREATE STREAM runs (id BIGINT, status VARCHAR DEFAULT 'queued', gpu_hours DOUBLE DEFAULT 0,\n"
                + "  CONSTRAINT valid_status CHECK (status IN ('queued', 'running')),\n"
                + "  CHECK (gpu_hours >= 0),\n"
                + "  CONSTRAINT unique_daily_run UNIQUE (id, DATE(NOW()))\n"
                + ") WITH ('topic' = 'runs', 'format' = 'json');\n"
                + "CREATE STREAM good AS SELECT id, status, gpu_hours FROM runs;");
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("UNIQUE unique_daily_run at line 4 is not enforced")),
                s.notes().toString());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "create-check-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("create-check-test").toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SluiceExceptionHandlers.Processing.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "runs-dlq");
        try (TopologyTestDriver driver = new TopologyTestDriver(s.topology(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("runs", new StringSerializer(), new StringSerializer());
            in.pipeInput(null, "{\"id\":1}", 1000L); // both defaults: valid
            in.pipeInput(null, "{\"id\":2,\"status\":\"done\"}", 2000L);
            in.pipeInput(null, "{\"id\":3,\"status\":\"running\",\"gpu_hours\":-1.5}", 3000L);
            in.pipeInput(null, "{\"id\":4,\"status\":\"running\",\"gpu_hours\":2.5}", 4000L);
            assertEquals(List.of("{\"id\":1,\"status\":\"queued\",\"gpu_hours\":0.0}",
                    "{\"id\":4,\"status\":\"running\",\"gpu_hours\":2.5}"),
                    driver.createOutputTopic("good", new StringDeserializer(), new StringDeserializer()).readValuesToList());
            List<String> reasons = new ArrayList<>();
            for (TestRecord<String, String> r : driver.createOutputTopic("runs-dlq", new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList()) {
                StringBuilder why = new StringBuilder();
                for (Header h : r.headers()) {
                    if (h.key().contains("message") || h.key().contains("exception")) {
                        why.append(new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
                reasons.add(why.toString());
            }
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains("CHECK constraint valid_status violated"), reasons.get(0));
            // unnamed, it is named as PostgreSQL names it
            assertTrue(reasons.get(1).contains("CHECK constraint runs_check violated: gpu_hours >= 0"), reasons.get(1));
        }
    }

    @Test
    void seed002sIndexesAndColumnCommentsAreAcceptedWithANote() {
        CompiledScript s = compile(ORDERS
                + "CREATE INDEX idx_orders_status ON orders(status);\n"
                + "CREATE INDEX idx_active ON orders(status, order_id DESC) WHERE status IN ('queued', 'running');\n"
                + "CREATE UNIQUE INDEX IF NOT EXISTS idx_gin ON orders USING GIN (status);\n"
                + "COMMENT ON COLUMN orders.status IS 'where the order is';\n"
                + "CREATE STREAM out AS SELECT * FROM orders;");
        assertEquals(3, s.notes().stream().filter(n -> n.startsWith("CREATE INDEX") && n.contains("has no effect in Sluice"))
                .count(), s.notes().toString());
        assertTrue(s.notes().contains("COMMENT ON COLUMN orders.status: where the order is"), s.notes().toString());
    }
}
