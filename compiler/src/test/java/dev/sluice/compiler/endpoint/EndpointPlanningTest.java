package dev.sluice.compiler.endpoint;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoint URIs in FROM, JOIN, datasource and INTO become connectors and topics named after the query. */
class EndpointPlanningTest {

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "shop", BuildOptions.PRODUCTION);
    }

    @Test
    void aCsvGlobInFromGetsAFileSourceConnectorAndATopicNamedAfterTheQuery(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sales"));
        Files.writeString(dir.resolve("sales/a.csv"), "order_id,customer_name,amount\n1,\"Ann, A.\",9.50\n");
        CompiledScript s = compile("CREATE STREAM sales_data AS SELECT * FROM 'file://" + dir + "/sales/*.csv'\n"
                + "WITH (format = 'csv', header = true, delimiter = ',', quote_char = '\"', skip_lines = 1);");
        assertEquals(1, s.connectors().size());
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("sluice-shop-sales_data-source", c.name());
        assertEquals(c.name(), c.topic());
        assertEquals(ConnectorPlan.Direction.SOURCE, c.direction());
        assertEquals("dev.sluice.connect.file.FileSourceConnector", c.connectorClass());
        assertEquals(dir + "/sales/*.csv", c.config().get("path"));
        assertEquals("csv", c.config().get("format"));
        assertEquals("1", c.config().get("skip.lines"));
        assertEquals("order_id:VARCHAR;customer_name:VARCHAR;amount:VARCHAR", c.config().get("columns"));
        // the source reads the connector's topic as JSON; the sink topic gets no CSV options
        var source = s.sources().stream().filter(d -> d.format().topic().equals(c.topic())).findFirst().orElseThrow();
        assertEquals("json", source.format().properties().get("format"));
        assertEquals("(order_id VARCHAR, customer_name VARCHAR, amount VARCHAR)", source.schema().toString()
                .replace("`", ""));
        var sink = s.queries().get(0).plan().sink().orElseThrow();
        assertFalse(sink.properties().containsKey("delimiter"), sink.properties().toString());
        assertEquals("json", sink.properties().get("format"), "the output topic is JSON, as the source topic is");
    }

    @Test
    void inferTypesTypesCsvColumnsFromTheirValues(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.csv"), "id,price,ok,name\n1,2.5,true,x\n2,3,false,y\n");
        CompiledScript s = compile("CREATE STREAM t AS SELECT * FROM 'file://" + dir + "/*.csv' WITH (infer_types = true);");
        assertEquals("id:BIGINT;price:DOUBLE;ok:BOOLEAN;name:VARCHAR", s.connectors().get(0).config().get("columns"));
    }

    @Test
    void jsonLinesAreSampledForTheirColumnsAndGzipIsReadByName(@TempDir Path dir) throws Exception {
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("a.jsonl.gz")))) {
            out.write("{\"event_id\":1,\"event_type\":\"click\",\"timestamp\":\"2024-01-15T10:00:00Z\"}\n{\"event_id\":2,\"x\":1.5}\n"
                    .getBytes());
        }
        CompiledScript s = compile("CREATE STREAM logs AS SELECT event_id, event_type FROM 'file://" + dir + "/*.gz'"
                + " WITH (format = 'json', compression = 'gzip', timestamp_field = 'timestamp');");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("jsonl", c.config().get("format"));
        assertEquals("gzip", c.config().get("compression"));
        assertEquals("event_id:BIGINT;event_type:VARCHAR;timestamp:TIMESTAMP(3);x:DOUBLE", c.config().get("columns"));
        var source = s.sources().stream().filter(d -> d.format().topic().equals(c.topic())).findFirst().orElseThrow();
        assertEquals(2, source.rowtimeColumn().getAsInt(), "timestamp_field names the event time column");
    }

    @Test
    void intoAFileDirectoryPlansASinkConnectorDrainingTheQueryTopic(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.csv"), "a,b\n1,2\n");
        CompiledScript s = compile("CREATE STREAM copy AS SELECT a FROM 'file://" + dir + "/*.csv'\n"
                + "INTO 'kafka://localhost:9092/copied', 'file:///archive/${date}/${hour}/'\n"
                + "WITH (source_format = 'csv', sink_format = 'csv');");
        assertEquals(2, s.connectors().size());
        ConnectorPlan sink = s.connectors().get(1);
        assertEquals(ConnectorPlan.Direction.SINK, sink.direction());
        assertEquals("sluice-shop-copy-file-sink", sink.name());
        assertEquals("copied", sink.topic(), "the kafka:// INTO names the output topic; the file sink drains it");
        assertEquals("copied", sink.config().get("topics"));
        assertEquals("/archive/${date}/${hour}/", sink.config().get("path"));
        assertEquals("csv", sink.config().get("format"));
        assertEquals("copied", s.queries().get(0).outputTopic());
    }

    @Test
    void aDatasourceDeclarationWithColumnsPlansItsConnectorWithoutReadingFiles() {
        CompiledScript s = compile("CREATE STREAM typed (id BIGINT, name VARCHAR) WITH (datasource = "
                + "'file:///nowhere/*.jsonl');\nCREATE STREAM out AS SELECT id FROM typed;");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("sluice-shop-typed-source", c.name());
        assertEquals("id:BIGINT;name:VARCHAR", c.config().get("columns"));
        assertEquals("sluice-shop-typed-source", s.sources().get(0).format().topic());
    }

    @Test
    void aKafkaDatasourceNamesItsTopicAndNeedsNoConnector() {
        CompiledScript s = compile("CREATE STREAM typed (id BIGINT) WITH (datasource = 'kafka://localhost:9092/typed-topic',"
                + " format = 'json');\nCREATE STREAM out AS SELECT id FROM typed;");
        assertTrue(s.connectors().isEmpty());
        assertEquals("typed-topic", s.sources().get(0).format().topic());
    }

    @Test
    void aPostgresCdcSourcePassesSlotPublicationAndSnapshotModeAndKeepsSecretsAsEnvReferences() {
        CompiledScript s = compile("CREATE STREAM pg_orders (operation VARCHAR, ts_ms BIGINT) WITH (datasource = "
                + "'postgresql://app:${PGPASSWORD}@db.example:5433/shop?table=orders', mode = 'cdc', "
                + "publication = 'velo_publication', slot_name = 'velo_slot', snapshot_mode = 'never', "
                + "include_transaction = true);");
        ConnectorPlan c = s.connectors().get(0);
        Map<String, String> cfg = c.config();
        assertEquals("io.debezium.connector.postgresql.PostgresConnector", c.connectorClass());
        assertEquals("velo_publication", cfg.get("publication.name"));
        assertEquals("velo_slot", cfg.get("slot.name"));
        assertEquals("never", cfg.get("snapshot.mode"));
        assertEquals("true", cfg.get("provide.transaction.metadata"));
        assertEquals("public.orders", cfg.get("table.include.list"));
        assertEquals("${env:PGPASSWORD}", cfg.get("database.password"));
        assertEquals("5433", cfg.get("database.port"));
        assertEquals("dev.sluice.connect.transforms.DebeziumOperation", cfg.get("transforms.operation.type"));
        assertEquals("sluice-shop-pg_orders-source.public.orders", c.topic());
    }

    @Test
    void aLiteralPasswordIsHiddenWhenTheEndpointIsPrinted() {
        Endpoint.Postgres pg = (Endpoint.Postgres) Endpoints.parse("postgresql://user:s3cret@localhost:5432/shop?table=orders",
                new dev.sluice.grammar.ast.NodeLocation(1, 1));
        assertEquals("postgresql://user:****@localhost:5432/shop?table=orders", pg.display());
        assertEquals(Optional.of("orders"), pg.table());
        assertEquals("jdbc:postgresql://localhost:5432/shop", pg.jdbcUrl());
    }

    @Test
    void aFormatWrapperOfAnotherSchemeOrAContradictingFormatIsRefusedAtItsPlaceAndAnUnsetS3KeyIsNamed() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM p AS\nSELECT * FROM 'parquet://kafka://localhost:9092/orders';"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("parquet:// wraps an s3:// or file:// URI"), e.getMessage());
        SqlException twice = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM p AS\nSELECT * FROM 'parquet://s3://bucket/orders/*' WITH (format = 'csv');"));
        assertTrue(twice.getMessage().contains("is read as parquet but format = 'csv'"), twice.getMessage());
        SqlException unset = assertThrows(SqlException.class, () -> compile("CREATE STREAM s3_events AS\n"
                + "SELECT * FROM 's3://my-bucket/events/2024/*' WITH (access_key_id = '${SLUICE_SURELY_UNSET_KEY}');"));
        assertTrue(unset.getMessage().contains("access_key_id is ${SLUICE_SURELY_UNSET_KEY}, which is not set"),
                unset.getMessage());
    }

    @Test
    void aMissingFileGlobSaysSoAndHowToDeclareTheColumns() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM x AS SELECT * FROM 'file:///surely/not/here/*.csv';"));
        assertTrue(e.getMessage().contains("no file matches file:///surely/not/here/*.csv"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("datasource = 'file:///surely/not/here/*.csv'"), e.hint().orElseThrow());
    }

    @Test
    void anUnreachableKafkaClusterForSamplingIsACompileErrorNamingTheCluster() {
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .withDiscovery(new Discovery(Optional.of("127.0.0.1:1")))
                .compile("CREATE STREAM o AS SELECT * FROM 'kafka://localhost:9092/orders';", "x", BuildOptions.PRODUCTION));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    void offlineDiscoveryRefusesAtTheSourcesLineInsteadOfWaitingForACluster() {
        long begin = System.nanoTime();
        SqlException e = assertThrows(SqlException.class, () -> new SluiceCompiler(DefaultFunctionCatalog.wallClock())
                .withDiscovery(Discovery.OFFLINE)
                .compile("CREATE STREAM o AS\nSELECT * FROM 'kafka://localhost:9092/orders';", "x", BuildOptions.PRODUCTION));
        assertTrue(e.getMessage().contains("discovery is offline"), e.getMessage());
        assertEquals(2, e.line());
        assertTrue(System.nanoTime() - begin < 5_000_000_000L, "no wait for localhost:9092");
    }
}
