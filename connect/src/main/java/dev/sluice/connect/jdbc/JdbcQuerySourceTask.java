package dev.sluice.connect.jdbc;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.PollSchedule;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The query runs as {@code SELECT * FROM (query) q WHERE col > ? ORDER BY col} when a timestamp
 * column is set; the comparison value is the last row's column as text, cast by the database to
 * the column's own type ({@code stringtype=unspecified}), so timestamps and numbers both work.
 */
public final class JdbcQuerySourceTask extends SourceTask {
    private String url;
    private Properties credentials;
    private String query;
    private String topic;
    private String timestampColumn;
    private PollSchedule schedule;
    private Connection connection;

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = JdbcQuerySourceConnector.DEF.parse(props);
        url = (String) v.get("connection.url");
        credentials = new Properties();
        credentials.setProperty("user", (String) v.get("connection.user"));
        credentials.setProperty("password", ((Password) v.get("connection.password")).value());
        credentials.setProperty("stringtype", "unspecified");
        query = (String) v.get("query");
        topic = (String) v.get("topic");
        timestampColumn = (String) v.get("timestamp.column");
        schedule = new PollSchedule(context, Map.of("query", query), (Long) v.get("poll.interval.ms"));
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (!schedule.awaitDue()) {
            return null;
        }
        schedule.nextAfterInterval();
        List<SourceRecord> out = new ArrayList<>();
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, credentials);
            }
            boolean incremental = !timestampColumn.isBlank();
            String sql = !incremental ? query : "SELECT * FROM (" + query + ") sluice_q"
                    + (schedule.last() == null ? "" : " WHERE \"" + timestampColumn + "\" > ?") + " ORDER BY \"" + timestampColumn + "\"";
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                if (incremental && schedule.last() != null) {
                    s.setString(1, schedule.last());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = JdbcRows.row(rs);
                        if (incremental) {
                            Object t = rs.getObject(timestampColumn);
                            schedule.advance(t == null ? null : t.toString());
                        }
                        out.add(schedule.record(incremental ? schedule.offset() : Map.of(), topic, Json.object(row)));
                    }
                }
            }
        } catch (SQLException e) {
            closeQuietly();
            throw new ConnectException("polling " + url + " failed: " + e.getMessage(), e);
        }
        return out.isEmpty() ? null : out;
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // reconnects on the next poll
        }
        connection = null;
    }

    @Override
    public void stop() {
        closeQuietly();
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
