package dev.sluice.connect.clickhouse;

import org.apache.kafka.common.config.ConfigDef;

import java.util.Map;

/**
 * Polls a ClickHouse table or query every {@code poll.interval.ms} over HTTP and writes each row
 * as a JSON record (ClickHouse's own JSONEachRow, 64-bit integers as numbers). With
 * {@code incremental.column}, each poll reads the rows whose column is at least the greatest value
 * read so far minus {@code incremental.overlap}, in that column's order, and drops the rows it read
 * before by {@code incremental.dedup.key} (default: the whole row). So a row inserted late is read
 * once if its value is at or above {@code last - overlap} when it is polled (ties with the last
 * value always are); a row further behind is not read. That state is the Connect source offset, so
 * a restart resumes with it. See {@link IncrementalWindow}.
 */
public final class ClickHouseSourceConnector extends dev.sluice.connect.OneReaderSourceConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("clickhouse.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "http(s)://host:8123")
            .define("clickhouse.database", ConfigDef.Type.STRING, "default", ConfigDef.Importance.HIGH, "database")
            .define("clickhouse.table", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "table read (or query)")
            .define("query", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "query read (or table)")
            .define("clickhouse.user", ConfigDef.Type.STRING, "default", ConfigDef.Importance.HIGH, "user")
            .define("clickhouse.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH, "password")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "time between polls")
            .define("incremental.column", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "a column that only grows: rows are read once, in its order")
            .define("incremental.overlap", ConfigDef.Type.STRING, "0", ConfigDef.Importance.MEDIUM,
                    "how far below the last value read each poll reads again, for rows inserted late: in the column's"
                            + " units (seconds for DateTime, days for Date); rows read before are dropped by their dedup key")
            .define("incremental.dedup.key", ConfigDef.Type.LIST, "", ConfigDef.Importance.MEDIUM,
                    "columns that identify a row, to drop rows of the overlap read again (default: the whole row)")
            .define("max.rows.per.poll", ConfigDef.Type.INT, 10_000, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "rows read per poll when incremental (the next poll continues)")
            .define("max.retries", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                    "retries of a failed poll before the task fails")
            .define("retry.backoff.ms", ConfigDef.Type.LONG, 200L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                    "first retry delay, doubled at each retry");

    public ClickHouseSourceConnector() {
        super(DEF, ClickHouseSourceTask.class);
    }

    @Override
    protected void checkSettings(Map<String, Object> parsed) {
        if (((String) parsed.get("clickhouse.table")).isBlank() == ((String) parsed.get("query")).isBlank()) {
            throw new org.apache.kafka.common.config.ConfigException("give exactly one of clickhouse.table and query");
        }
    }
}
