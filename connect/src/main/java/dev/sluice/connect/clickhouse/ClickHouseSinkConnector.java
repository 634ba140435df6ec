package dev.sluice.connect.clickhouse;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Writes a topic of JSON rows into a ClickHouse table: batched {@code INSERT ... FORMAT JSONEachRow}
 * over HTTP, transient failures retried with exponential backoff, rows ClickHouse rejects
 * dead-lettered one by one. At least once: Connect commits a batch's offsets only after its INSERT
 * succeeded. Servers from 22.2 on also get an {@code insert_deduplication_token} per batch (its
 * topic, partition and offsets), so a batch retried after an answer was lost is not inserted twice.
 */
public final class ClickHouseSinkConnector extends dev.sluice.connect.PartitionedSinkConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("clickhouse.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "http(s)://host:8123")
            .define("clickhouse.database", ConfigDef.Type.STRING, "default", ConfigDef.Importance.HIGH, "database")
            .define("clickhouse.table", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "table written")
            .define("clickhouse.user", ConfigDef.Type.STRING, "default", ConfigDef.Importance.HIGH, "user")
            .define("clickhouse.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "password")
            .define("batch.size", ConfigDef.Type.INT, 10_000, ConfigDef.Range.atLeast(1), ConfigDef.Importance.MEDIUM,
                    "rows per INSERT (one INSERT below max_insert_block_size is atomic)")
            .define("max.retries", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "retries of a failed INSERT before the batch goes back to Connect for redelivery")
            .define("retry.backoff.ms", ConfigDef.Type.LONG, 200L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "first retry delay, doubled at each retry")
            .define("max.retry.backoff.ms", ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                    "longest retry delay")
            .define("request.timeout.ms", ConfigDef.Type.LONG, 60_000L, ConfigDef.Importance.LOW, "HTTP request timeout")
            .define("dedup.tokens", ConfigDef.Type.STRING, "auto", ConfigDef.ValidString.in("auto", "on", "off"),
                    ConfigDef.Importance.LOW, "insert_deduplication_token per batch: auto = when the server has it (22.2+)");

    public ClickHouseSinkConnector() {
        super(DEF, ClickHouseSinkTask.class);
    }
}
