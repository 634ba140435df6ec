package dev.sluice.connect.clickhouse;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Retries;
import dev.sluice.connect.RetryPolicy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One INSERT per (topic partition, up to {@code batch.size} rows). A batch ClickHouse rejects for
 * its data (not for an overload) is split in halves until the rejected rows are alone; each is
 * handed to Connect's errant record reporter (the dead-letter topic, with the reason in its
 * headers), and the other rows are inserted. A batch that still fails transiently after the
 * retries goes back to Connect ({@link RetriableException}), which redelivers it: nothing is lost
 * and the task keeps running while ClickHouse is away.
 */
public final class ClickHouseSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkTask.class);
    private ClickHouseHttp http;
    private String table;
    private int batchSize;
    private RetryPolicy retries;
    private boolean dedupTokens;
    private long insertedRows;

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = ClickHouseSinkConnector.DEF.parse(props);
        String database = (String) v.get("clickhouse.database");
        http = new ClickHouseHttp((String) v.get("clickhouse.url"), database, (String) v.get("clickhouse.user"),
                ((Password) v.get("clickhouse.password")).value(), Duration.ofMillis((Long) v.get("request.timeout.ms")));
        String t = (String) v.get("clickhouse.table");
        table = t.contains(".") ? t : quote(database) + "." + quote(t);
        batchSize = (Integer) v.get("batch.size");
        long backoff = (Long) v.get("retry.backoff.ms");
        retries = new RetryPolicy(RetryPolicy.Kind.EXPONENTIAL, backoff, Math.max(backoff,
                (Long) v.get("max.retry.backoff.ms")), (Integer) v.get("max.retries"), 0.2);
        String mode = (String) v.get("dedup.tokens");
        String version;
        try {
            version = Retries.call(retries, "asking ClickHouse for its version", ClickHouseHttp::isTransient, http::version);
        } catch (Exception e) {
            throw new ConnectException("cannot reach ClickHouse at " + v.get("clickhouse.url") + ": " + e.getMessage(), e);
        }
        // insert_deduplication_token appeared in 22.2; older servers reject the unknown setting
        dedupTokens = mode.equals("on") || mode.equals("auto") && ClickHouseHttp.atLeast(version, 22, 2);
        LOG.info("ClickHouse {} at {}: inserting into {} in batches of {} rows{}", version, v.get("clickhouse.url"), table,
                batchSize, dedupTokens ? ", with insert deduplication tokens" : " (no insert deduplication tokens before 22.2)");
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "\\`") + "`";
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        Map<TopicPartition, List<SinkRecord>> byPartition = new LinkedHashMap<>();
        for (SinkRecord r : records) {
            if (r.value() == null) {
                reject(r, new IllegalArgumentException("a delete (tombstone) cannot be applied: the ClickHouse sink "
                        + "appends rows; use a ReplacingMergeTree table keyed by the row's key for updates"));
                continue;
            }
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.kafkaPartition()), k -> new ArrayList<>()).add(r);
        }
        for (List<SinkRecord> partition : byPartition.values()) {
            for (int i = 0; i < partition.size(); i += batchSize) {
                insert(partition.subList(i, Math.min(partition.size(), i + batchSize)));
            }
        }
    }

    private void insert(List<SinkRecord> batch) {
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("input_format_skip_unknown_fields", "1");
            settings.put("date_time_input_format", "best_effort");
            if (dedupTokens) {
                SinkRecord first = batch.get(0);
                settings.put("insert_deduplication_token", first.topic() + "-" + first.kafkaPartition() + "-"
                        + first.kafkaOffset() + "-" + batch.get(batch.size() - 1).kafkaOffset());
            }
            String body = batch.stream().map(ClickHouseSinkTask::line).collect(Collectors.joining("\n", "", "\n"));
            Retries.call(retries, "INSERT of " + batch.size() + " rows into " + table, ClickHouseHttp::isTransient, () -> {
                http.insertJsonEachRow(table, body, settings);
                return null;
            });
            insertedRows += batch.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while inserting into " + table, e);
        } catch (Exception e) {
            if (ClickHouseHttp.isTransient(e)) {
                throw new RetriableException("ClickHouse did not take " + batch.size() + " rows for " + table
                        + " after " + (retries.retries() + 1) + " attempts; Connect redelivers them: " + e.getMessage(), e);
            }
            if (batch.size() == 1) {
                reject(batch.get(0), e);
                return;
            }
            // bad data in the batch: find the rows ClickHouse rejects, insert the others
            int half = batch.size() / 2;
            insert(batch.subList(0, half));
            insert(batch.subList(half, batch.size()));
        }
    }

    private static String line(SinkRecord r) {
        Object v = r.value();
        String text = v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
        if (!(v instanceof String || v instanceof byte[])) {
            throw new ConnectException("the ClickHouse sink takes JSON text: set value.converter to "
                    + "org.apache.kafka.connect.storage.StringConverter (got " + v.getClass().getSimpleName() + ")");
        }
        // JSON strings hold no raw line breaks, so these are whitespace between tokens: one row per line
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    private void reject(SinkRecord r, Exception reason) {
        ErrantRecordReporter reporter = context == null ? null : context.errantRecordReporter();
        String where = r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset();
        if (reporter == null) {
            throw new ConnectException("ClickHouse rejected the record at " + where + " for " + table + ": "
                    + reason.getMessage() + " (set errors.tolerance=all and a dead-letter topic to skip such records)", reason);
        }
        LOG.warn("record {} dead-lettered: ClickHouse rejected it for {}: {}", where, table, reason.getMessage());
        try {
            reporter.report(r, reason).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while dead-lettering " + where, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConnectException("dead-lettering " + where + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void stop() {
        LOG.info("ClickHouse sink for {} stopping after {} rows", table, insertedRows);
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
