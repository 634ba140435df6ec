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
 * The polled statement is {@code SELECT * FROM (<query>) WHERE col > <last> ORDER BY col LIMIT n}
 * when incremental; {@code <last>} is written as a number or a quoted string after the column's
 * ClickHouse type, read once at start ({@code LIMIT 0 FORMAT JSONCompact} gives names and types on
 * every version).
 */
public final class ClickHouseSourceTask extends SourceTask {
    private static final Pattern META = Pattern.compile("\"name\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"type\":\\s*\"([^\"]*)\"");
    private ClickHouseHttp http;
    private String base;
    private String topic;
    private String column;
    private boolean numeric;
    private int maxRows;
    private RetryPolicy retries;
    private PollSchedule schedule;

    @Override
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
            numeric = isNumeric(type);
        }
        schedule = new PollSchedule(context, Map.of("clickhouse", url + "/" + database + "/" + base),
                (Long) v.get("poll.interval.ms"));
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
        String last = schedule.last();
        String where = last == null ? "" : " WHERE " + c + " > " + (numeric ? last : "'" + last.replace("\\", "\\\\")
                .replace("'", "\\'") + "'");
        return "SELECT * FROM (" + base + ")" + where + " ORDER BY " + c + " LIMIT " + maxRows + " FORMAT JSONEachRow";
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (!schedule.awaitDue()) {
            return null;
        }
        String answer = call(statement());
        List<SourceRecord> out = new ArrayList<>();
        for (String line : answer.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!column.isBlank()) {
                schedule.advance(Json.fields(line).get(column));
            }
            out.add(schedule.record(topic, line));
        }
        // a full page means more rows are waiting: poll again at once
        if (!column.isBlank() && out.size() == maxRows) {
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
