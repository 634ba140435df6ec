package dev.sluice.compiler;

import dev.sluice.compiler.catalog.SourceDefinition;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.format.avro.MockSchemaRegistry;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CREATE STREAM without columns takes them from the Schema Registry at compile time. */
class SourceDeclarationsDiscoveryTest {
    private static final String SCOPE = "discovery-test";
    private static final String REGISTRY = "'schema_registry_url' = 'mock://" + SCOPE + "'";

    /** What a producer registered for topic orders: a record with logical types and an optional field. */
    private static final org.apache.avro.Schema ORDERS = new org.apache.avro.Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "com.example", "fields": [
              {"name": "order_id", "type": "long"},
              {"name": "customer", "type": ["null", "string"], "default": null},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    @BeforeEach
    void register() {
        MockSchemaRegistry.drop(SCOPE);
        MockSchemaRegistry.scope(SCOPE).register("orders-value", ORDERS);
    }

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(SCOPE);
    }

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "discovery", BuildOptions.PRODUCTION);
    }

    @Test
    void aStreamWithoutColumnsTakesThemFromTheLatestValueSchemaOfItsTopic() {
        CompiledScript script = compile("CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ");\n"
                + "SELECT order_id, amount FROM orders WHERE customer IS NOT NULL;");
        SourceDefinition orders = script.sources().get(0);
        assertEquals(new Schema(java.util.List.of(new Column("order_id", ScalarType.BIGINT, false),
                new Column("customer", ScalarType.VARCHAR, true), new Column("amount", new DecimalType(10, 2), false),
                new Column("created_at", ScalarType.TIMESTAMP, false))), orders.schema());
        assertEquals(OptionalInt.empty(), orders.rowtimeColumn(), "no event time unless one is named");
        assertEquals("(order_id BIGINT, amount DECIMAL(10, 2))", script.queries().get(0).schema().toString());
        assertEquals("orders: columns discovered from subject 'orders-value' version 1 (schema id 1) at mock://"
                + SCOPE + ": (order_id BIGINT NOT NULL, customer VARCHAR, amount DECIMAL(10, 2) NOT NULL, "
                + "created_at TIMESTAMP(3) NOT NULL)", script.notes().get(0));
    }

    @Test
    void describeShowsTheDiscoveredColumns() {
        CompiledScript script = compile("CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ");\n"
                + "DESCRIBE orders;");
        // DESCRIBE shows nullability as the registry schema has it (issue 14: DESCRIBE prints the discovered schema)
        assertEquals("DESCRIBE orders: stream (order_id BIGINT NOT NULL, customer VARCHAR, amount DECIMAL(10, 2) NOT NULL, "
                + "created_at TIMESTAMP(3) NOT NULL) topic 'orders'", script.notes().get(1));
    }

    @Test
    void theLatestVersionWinsAfterTheSchemaEvolved() {
        MockSchemaRegistry.scope(SCOPE).register("orders-value", SchemaBuilder.record("Order").fields()
                .requiredLong("order_id").optionalString("channel").endRecord());
        CompiledScript script = compile("CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ");");
        assertEquals("(order_id BIGINT, channel VARCHAR)", script.sources().get(0).schema().toString());
        assertTrue(script.notes().get(0).contains("version 2 (schema id 2)"), script.notes().get(0));
    }

    @Test
    void theTimestampOptionNamesTheEventTimeColumnOfDiscoveredColumns() {
        CompiledScript script = compile("CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY
                + ", 'timestamp' = 'created_at');\n"
                + "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), "
                + "INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;");
        assertEquals(OptionalInt.of(3), script.sources().get(0).rowtimeColumn());
        CompiledScript seedSpelling = compile("CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', "
                + REGISTRY + ", timestamp_field = 'created_at');");
        assertEquals(OptionalInt.of(3), seedSpelling.sources().get(0).rowtimeColumn());
    }

    @Test
    void aWatermarkMayBeDeclaredOverDiscoveredColumns() {
        CompiledScript script = compile("CREATE STREAM orders (WATERMARK FOR created_at AS created_at - INTERVAL '5' SECOND) "
                + "WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ");");
        SourceDefinition orders = script.sources().get(0);
        assertEquals(4, orders.schema().size());
        assertEquals(OptionalInt.of(3), orders.rowtimeColumn());
        assertEquals(OptionalLong.of(5000), orders.watermarkDelayMs());
    }

    @Test
    void aTableNamesItsPrimaryKeyAmongDiscoveredColumns() {
        CompiledScript script = compile("CREATE TABLE orders (PRIMARY KEY (order_id) NOT ENFORCED) "
                + "WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ");");
        assertEquals(java.util.List.of("order_id"), script.sources().get(0).primaryKey());
        assertEquals(4, script.sources().get(0).schema().size());
    }

    @Test
    void theTimestampOptionAlsoWorksWithDeclaredColumns() {
        CompiledScript script = compile("CREATE STREAM clicks (user_id VARCHAR, ts TIMESTAMP) "
                + "WITH ('topic' = 'clicks', 'format' = 'json', 'timestamp' = 'ts');");
        assertEquals(OptionalInt.of(1), script.sources().get(0).rowtimeColumn());
    }

    @Test
    void aTimestampOptionNamingAnUnknownOrNonTimeColumnIsAnError() {
        SqlException unknown = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ", 'timestamp' = 'create_at');"));
        assertEquals("unknown column `create_at`", unknown.getMessage());
        assertEquals(1, unknown.line());
        assertEquals("did you mean `created_at`?", unknown.hint().orElse(""));
        SqlException notTime = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro', " + REGISTRY + ", 'timestamp' = 'customer');"));
        assertEquals("event time column `customer` must be TIMESTAMP, not VARCHAR", notTime.getMessage());
    }

    @Test
    void aMissingSubjectIsAnErrorAtTheStatement() {
        SqlException e = assertThrows(SqlException.class, () -> compile("SET 'x' = 'y';\n"
                + "CREATE STREAM payments WITH ('topic' = 'payments', 'format' = 'avro', " + REGISTRY + ");"));
        assertEquals("cannot discover the columns of payments: the subject 'payments-value' does not exist in the "
                + "Schema Registry at mock://" + SCOPE, e.getMessage());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void anUnreachableRegistryIsAnErrorNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;
        SqlException e = assertThrows(SqlException.class, () -> compile("CREATE STREAM orders WITH ('topic' = 'orders', "
                + "'format' = 'avro', 'schema_registry_url' = '" + url + "');"));
        assertTrue(e.getMessage().startsWith("cannot discover the columns of orders: Schema Registry at " + url
                + " unreachable"), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void columnsCannotBeDiscoveredWithoutAvroAndARegistry() {
        SqlException json = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'json');"));
        assertEquals("orders has no columns, and they can only be discovered from a Schema Registry for formats 'avro', 'protobuf' and 'json_sr' "
                + "(this source has format 'json' and no schema_registry_url)", json.getMessage());
        SqlException noRegistry = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM orders WITH ('topic' = 'orders', 'format' = 'avro');"));
        assertTrue(noRegistry.getMessage().endsWith("(this source has format 'avro' and no schema_registry_url)"),
                noRegistry.getMessage());
    }
}
