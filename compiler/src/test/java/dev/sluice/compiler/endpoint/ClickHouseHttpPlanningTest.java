package dev.sluice.compiler.endpoint;

import dev.sluice.compiler.CompiledScript;
import dev.sluice.compiler.SluiceCompiler;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.runtime.build.BuildOptions;
import dev.sluice.runtime.function.DefaultFunctionCatalog;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clickhouse:// and http(s):// URIs become Sluice's ClickHouse and HTTP connectors, configured from seed 001's options. */
class ClickHouseHttpPlanningTest {

    private static CompiledScript compile(String sql) {
        return new SluiceCompiler(DefaultFunctionCatalog.wallClock()).compile(sql, "shop", BuildOptions.PRODUCTION);
    }

    @Test
    void aClickHouseUriHasHttpDefaultsCredentialsAndAHiddenLiteralPassword() {
        Endpoint.ClickHouse ch = (Endpoint.ClickHouse) Endpoints.parse(
                "clickhouse://reader:s3cret@ch.example:9123/analytics?table=events", new NodeLocation(1, 1));
        assertEquals("http://ch.example:9123", ch.httpUrl());
        assertEquals("analytics", ch.database());
        assertEquals("events", ch.table().orElseThrow());
        assertEquals("clickhouse://reader:****@ch.example:9123/analytics?table=events", ch.display());
        Endpoint.ClickHouse secure = (Endpoint.ClickHouse) Endpoints.parse("clickhouses://ch.example/db?table=t",
                new NodeLocation(1, 1));
        assertEquals("https://ch.example:8443", secure.httpUrl());
        Endpoint.ClickHouse plain = (Endpoint.ClickHouse) Endpoints.parse("clickhouse://cluster", new NodeLocation(1, 1));
        assertEquals("http://cluster:8123", plain.httpUrl());
        assertEquals("", plain.database());
    }

    @Test
    void clickHouseTypesReadAsTheSqlTypesOfTheirJsonValues() {
        assertEquals(ScalarType.BIGINT, ClickHouseCatalog.type("UInt64"));
        assertEquals(ScalarType.INTEGER, ClickHouseCatalog.type("Nullable(Int32)"));
        assertEquals(ScalarType.VARCHAR, ClickHouseCatalog.type("LowCardinality(String)"));
        assertEquals(ScalarType.VARCHAR, ClickHouseCatalog.type("Enum8('a' = 1, 'b' = 2)"));
        assertEquals(new DecimalType(10, 2), ClickHouseCatalog.type("Nullable(Decimal(10, 2))"));
        assertEquals(new DecimalType(18, 4), ClickHouseCatalog.type("Decimal64(4)"));
        assertEquals(ScalarType.TIMESTAMP, ClickHouseCatalog.type("DateTime('UTC')"));
        assertEquals(ScalarType.DATE, ClickHouseCatalog.type("Date"));
        assertEquals(ScalarType.VARIANT, ClickHouseCatalog.type("Array(String)"));
    }

    @Test
    void anHttpSourceCarriesTheSeedsRetryPolicyAndItsTokenStaysAnEnvironmentReference() {
        CompiledScript s = compile("CREATE STREAM api_events (event_id BIGINT, kind VARCHAR) WITH (\n"
                + "  datasource = 'https://api.example.com/events', retry_policy = 'exponential',\n"
                + "  initial_retry_delay_ms = 100, max_retry_delay_ms = 30000, max_retries = 5, jitter_factor = 0.1,\n"
                + "  bearer_token = '${API_TOKEN}', poll_interval = '30 seconds');\n");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("dev.sluice.connect.http.HttpSourceConnector", c.connectorClass());
        assertEquals("https://api.example.com/events", c.config().get("http.url"));
        assertEquals(Map.of("retry.policy", "exponential", "initial.retry.delay.ms", "100", "max.retry.delay.ms", "30000",
                "max.retries", "5", "jitter.factor", "0.1"), Map.of("retry.policy", c.config().get("retry.policy"),
                "initial.retry.delay.ms", c.config().get("initial.retry.delay.ms"), "max.retry.delay.ms",
                c.config().get("max.retry.delay.ms"), "max.retries", c.config().get("max.retries"), "jitter.factor",
                c.config().get("jitter.factor")));
        assertEquals("30000", c.config().get("poll.interval.ms"));
        assertEquals("${env:API_TOKEN}", c.config().get("auth.bearer.token"));
        assertFalse(c.config().toString().contains("API_TOKEN}'"), "no literal token in the plan");
    }

    @Test
    void aJitterFactorOutsideZeroToOneIsAnErrorAtTheStatement() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM api_events (event_id BIGINT) WITH (datasource = 'http://api.example.com/events',\n"
                        + "  jitter_factor = 1.5);\n"));
        assertTrue(e.getMessage().contains("jitter_factor must be a number from 0 to 1"), e.getMessage());
    }

    @Test
    void aQueryIntoClickHouseGetsABatchingSinkWithADeadLetterTopicAndAClickHouseSourceReadsIncrementally() {
        CompiledScript s = compile("CREATE STREAM metrics (id BIGINT, v DOUBLE) WITH (\n"
                + "  datasource = 'clickhouse://reader:${CH_PASSWORD}@ch.example:8123/metrics?table=raw',\n"
                + "  incremental_column = 'id', poll_interval = '5 seconds');\n"
                + "CREATE STREAM doubled AS SELECT id, v * 2 AS v FROM metrics\n"
                + "INTO 'kafka://localhost:9092/doubled', 'clickhouse://ch.example:8123/analytics?table=doubled'\n"
                + "WITH (batch_size = 500, max_retries = 3, retry_backoff_ms = 250);\n");
        ConnectorPlan source = s.connectors().get(0);
        assertEquals("dev.sluice.connect.clickhouse.ClickHouseSourceConnector", source.connectorClass());
        assertEquals("raw", source.config().get("clickhouse.table"));
        assertEquals("id", source.config().get("incremental.column"));
        assertEquals("${env:CH_PASSWORD}", source.config().get("clickhouse.password"));
        assertEquals("5000", source.config().get("poll.interval.ms"));
        ConnectorPlan sink = s.connectors().get(1);
        assertEquals("dev.sluice.connect.clickhouse.ClickHouseSinkConnector", sink.connectorClass());
        assertEquals("doubled", sink.topic());
        assertEquals("http://ch.example:8123", sink.config().get("clickhouse.url"));
        assertEquals("analytics", sink.config().get("clickhouse.database"));
        assertEquals("500", sink.config().get("batch.size"));
        assertEquals("3", sink.config().get("max.retries"));
        assertEquals("250", sink.config().get("retry.backoff.ms"));
        assertEquals("all", sink.config().get("errors.tolerance"));
        assertEquals(sink.name() + "-dlq", sink.config().get("errors.deadletterqueue.topic.name"));
    }

    @Test
    void aClickHouseTargetWithAnotherFormatIsAnErrorNotASilentSwitchToJson() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM metrics (id BIGINT) WITH (kafka_topic = 'm', format = 'json');\n"
                        + "CREATE STREAM out AS SELECT id FROM metrics\n"
                        + "INTO 'clickhouse://ch.example:8123/analytics?table=t' WITH (sink_format = 'parquet');\n"));
        assertTrue(e.getMessage().contains("the ClickHouse sink writes JSONEachRow, not 'parquet'"), e.getMessage());
    }

    @Test
    void anS3SinkGetsItsPrefixFromPartitionByAndTheSeedsConnectionOptionsWithSecretsAsReferences() {
        CompiledScript s = compile("CREATE STREAM raw_events (event_id BIGINT, kind VARCHAR) WITH (kafka_topic = 'raw', format = 'json');\n"
                + "CREATE STREAM lake AS SELECT event_id, kind FROM raw_events\n"
                + "INTO 's3://data-lake/events/${date}/' WITH (region = 'eu-west-1', access_key_id = '${AWS_KEY}',\n"
                + "  secret_access_key = '${AWS_SECRET}', role_arn = 'arn:aws:iam::1:role/W', external_id = 'x',\n"
                + "  sse_customer_algorithm = 'AES256', sse_customer_key = '${SSE_KEY}', request_payer = 'RequesterPays',\n"
                + "  partition_by = ['kind'], file_size_mb = 64);\n");
        ConnectorPlan c = s.connectors().get(0);
        assertEquals("dev.sluice.connect.s3.S3SinkConnector", c.connectorClass());
        assertEquals("data-lake", c.config().get("s3.bucket"));
        assertEquals("events/${date}/kind=${kind}/", c.config().get("s3.prefix"));
        assertEquals(Long.toString(64L << 20), c.config().get("file.size.bytes"));
        assertEquals("eu-west-1", c.config().get("s3.region"));
        assertEquals("${env:AWS_KEY}", c.config().get("s3.access.key.id"));
        assertEquals("${env:AWS_SECRET}", c.config().get("s3.secret.access.key"));
        assertEquals("arn:aws:iam::1:role/W", c.config().get("s3.role.arn"));
        assertEquals("${env:SSE_KEY}", c.config().get("s3.sse.customer.key"));
        assertEquals("true", c.config().get("s3.requester.pays"));
    }

    @Test
    void anUnknownObjectFormatOnS3IsAnErrorBeforeAnyRequest() {
        SqlException e = assertThrows(SqlException.class, () -> compile(
                "CREATE STREAM a AS SELECT * FROM 's3://analytics-bucket/data/*' WITH (format = 'xml');\n"));
        assertTrue(e.getMessage().contains("reading xml objects on S3 is not supported"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("'csv', 'parquet' or 'avro'"), e.hint().orElseThrow());
    }
}
