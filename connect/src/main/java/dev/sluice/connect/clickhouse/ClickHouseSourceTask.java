package dev.sluice.connect.clickhouse;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.PollSchedule;
import dev.sluice.connect.Retries;
import dev.sluice.connect.RetryPolicy;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The polled statement is {@code SELECT * FROM (<query>) WHERE col >= <last - overlap> ORDER BY col
 * LIMIT n + k} when incremental, where {@code k} rows of the window were read before and are dropped
 * by their dedup key ({@link IncrementalWindow}); {@code <last>} is written as a number or a quoted
 * string after the column's ClickHouse type, read once at start ({@code LIMIT 0 FORMAT JSONCompact}
 * gives names and types on every version).
 */
public final class ClickHouseSourceTask extends SourceTask {
    private static final Pattern META = Pattern.compile("\"name\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"type\":\\s*\"([^\"]*)\"");
    private ClickHouseHttp http;
    private String base;
    private String topic;
    private String column;
    private IncrementalWindow window;
    private List<String> dedupKey;
    private int maxRows;
    private RetryPolicy retries;
    private PollSchedule schedule;

    @Override
    @SuppressWarnings("unchecked")
    public void start(Map<String, String> props) {
        Map<String, Object> v = ClickHouseSourceConnector.DEF.parse(props);
        String database = (String) v.get("clickhouse.database");
        String url = (String) v.get("clickhouse.url");
        http = new ClickHouseHttp(url, database, (String) v.get("clickhouse.user"),
                ((Password) v.get("clickhouse.password")).value(), Duration.ofMinutes(5));
        String table = (String) v.get("clickhouse.table");
        base = table.isBlank() ? (String) v.get("query")
                : "SELECT * FROM " + (table.contains(".") ? table : ClickHouseSinkTask.quote(database) + "."
                        + ClickHouseSinkTask.quote(table));
        topic = (String) v.get("topic");
        column = (String) v.get("incremental.column");
        maxRows = (Integer) v.get("max.rows.per.poll");
        long backoff = (Long) v.get("retry.backoff.ms");
        retries = new RetryPolicy(RetryPolicy.Kind.EXPONENTIAL, backoff, Math.max(backoff, 30_000),
                (Integer) v.get("max.retries"), 0.2);
        if (!column.isBlank()) {
            String type = columnTypes().get(column);
            if (type == null) {
                throw new ConnectException("incremental.column '" + column + "' is not a column of " + base
                        + " (columns: " + String.join(", ", columnTypes().keySet()) + ")");
            }
            dedupKey = new ArrayList<>((List<String>) v.get("incremental.dedup.key"));
            dedupKey.removeIf(String::isBlank);
            Map<String, String> types = columnTypes();
            for (String k : dedupKey) {
                if (!types.containsKey(k)) {
                    throw new ConnectException("incremental.dedup.key '" + k + "' is not a column of " + base
                            + " (columns: " + String.join(", ", types.keySet()) + ")");
                }
            }
        }
        schedule = new PollSchedule(context, Map.of("clickhouse", url + "/" + database + "/" + base),
                (Long) v.get("poll.interval.ms"));
        if (!column.isBlank()) {
            try {
                window = new IncrementalWindow(IncrementalWindow.kindOf(columnTypes().get(column)),
                        new java.math.BigDecimal(((String) v.get("incremental.overlap")).trim()), schedule.last(),
                        (String) schedule.restored("seen"));
            } catch (IllegalArgumentException e) {
                throw new ConnectException("incremental.overlap '" + v.get("incremental.overlap") + "' for column " + column
                        + ": " + e.getMessage(), e);
            }
        }
    }

    static boolean isNumeric(String clickHouseType) {
        String t = clickHouseType.replaceAll("^(Nullable|LowCardinality)\\((.*)\\)$", "$2");
        return t.matches("U?Int\\d+.*|Float\\d+|Decimal.*");
    }

    private Map<String, String> columnTypes() {
        String meta = call("SELECT * FROM (" + base + ") LIMIT 0 FORMAT JSONCompact");
        Map<String, String> types = new java.util.LinkedHashMap<>();
        int end = meta.indexOf("\"data\"");
        Matcher m = META.matcher(end < 0 ? meta : meta.substring(0, end));
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        return types;
    }

    private String call(String sql) {
        try {
            return Retries.call(retries, "polling ClickHouse", ClickHouseHttp::isTransient,
                    () -> http.query(sql, Map.of("output_format_json_quote_64bit_integers", "0")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted", e);
        } catch (Exception e) {
            throw new ConnectException("ClickHouse query failed: " + e.getMessage() + " (query: " + sql + ")", e);
        }
    }

    String statement() {
        if (column.isBlank()) {
            return base + " FORMAT JSONEachRow";
        }
        String c = ClickHouseSinkTask.quote(column);
        // the window's rows come again and are dropped: read that many more, so a poll still makes progress
        return "SELECT * FROM (" + base + ")" + window.where(c) + " ORDER BY " + c + " LIMIT " + (maxRows + window.size())
                + " FORMAT JSONEachRow";
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (!schedule.awaitDue()) {
            return null;
        }
        int limit = column.isBlank() ? 0 : maxRows + window.size();
        Map<String, ?> before = column.isBlank() ? Map.of() : window.offset();
        String answer = call(statement());
        List<SourceRecord> out = new ArrayList<>();
        int read = 0;
        for (String line : answer.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            read++;
            if (column.isBlank()) {
                out.add(schedule.record(topic, line));
                continue;
            }
            Map<String, String> fields = Json.fields(line);
            if (window.accept(fields.get(column), dedupKey.isEmpty() ? line
                    : dedupKey.stream().map(k -> k + "=" + fields.get(k)).collect(java.util.stream.Collectors.joining("\u0000")))) {
                schedule.advance(window.last());
                out.add(schedule.record(before, topic, line));
            }
        }
        if (!column.isBlank()) {
            window.prune();
            if (!out.isEmpty()) {
                // the batch's last record carries the state after it, the others the state before it
                // (a crash inside a batch reads the batch again: at least once, as Connect's offset commits are)
                SourceRecord lastRecord = out.remove(out.size() - 1);
                out.add(schedule.record(window.offset(), topic, lastRecord.value()));
            }
        }
        // a full page of new rows means more are waiting: poll again at once
        if (!column.isBlank() && read == limit) {
            schedule.nextAtOnce();
        } else {
            schedule.nextAfterInterval();
        }
        return out.isEmpty() ? null : out;
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
