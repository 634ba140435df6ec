package dev.sluice.connect.breaker;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import dev.sluice.connect.jdbc.FallbackQuery;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A delegate source task behind a {@link CircuitBreaker}. A poll that throws is a failure: the
 * delegate is stopped (and started afresh at the next try), and the exception does not kill the
 * task. At {@code failure_threshold} consecutive failures the breaker opens: the fallback query runs
 * once over JDBC and its rows are written to the delegate's topic, then nothing is polled for
 * {@code timeout_seconds}; half-open, the delegate is started again, and {@code success_threshold}
 * successful polls close the breaker (one more failure opens it again). Each transition is logged
 * at WARN and counted in the task's metrics ({@code circuit-breaker-state}: 0 closed, 1 open,
 * 2 half-open; {@code circuit-breaker-opened-total}).
 */
public final class CircuitBreakerSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerSourceTask.class);
    private Map<String, String> props;
    private Class<?> delegateClass;
    private SourceTask delegate;
    private CircuitBreaker breaker;
    private CircuitBreaker.State reported = CircuitBreaker.State.CLOSED;
    private String fallbackQuery;
    private String fallbackTopic;
    private boolean fallbackAsText;
    private List<String> keyColumns;
    private String url;
    private String user;
    private String password;
    private boolean fallbackPending;
    private long fallbackRuns;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        Map<String, Object> v = CircuitBreakerSourceConnector.DEF.parse(props);
        try {
            delegateClass = Class.forName(props.get(CircuitBreakerSourceConnector.DELEGATE_TASK), true,
                    getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            // the delegate's plugin loader knows it: the connector's class was loaded there
            delegateClass = loadFromDelegateConnector((Class<?>) v.get(CircuitBreakerSourceConnector.DELEGATE));
        }
        breaker = new CircuitBreaker((Integer) v.get("breaker.failure.threshold"), (Integer) v.get("breaker.success.threshold"),
                (Long) v.get("breaker.timeout.ms"), System::currentTimeMillis);
        fallbackQuery = (String) v.get("breaker.fallback.query");
        fallbackTopic = (String) v.get("breaker.fallback.topic");
        fallbackAsText = "json-text".equals(v.get("breaker.fallback.value"));
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) v.get("breaker.fallback.key.columns");
        keyColumns = keys;
        url = (String) v.get("breaker.connection.url");
        user = ((Password) v.get("breaker.connection.user")).value();
        password = ((Password) v.get("breaker.connection.password")).value();
        metrics();
        // the delegate starts at the first poll, where a failure to start counts as the breaker's failure
    }

    private Class<?> loadFromDelegateConnector(Class<?> connector) {
        try {
            return Class.forName(props.get(CircuitBreakerSourceConnector.DELEGATE_TASK), true, connector.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot load the wrapped task class: " + e.getMessage(), e);
        }
    }

    private void metrics() {
        PluginMetrics metrics;
        try {
            metrics = context == null ? null : context.pluginMetrics();
        } catch (RuntimeException | LinkageError none) {
            metrics = null;
        }
        if (metrics == null) {
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        MetricName state = metrics.metricName("circuit-breaker-state", "0 closed, 1 open, 2 half-open", tags);
        metrics.addMetric(state, (Gauge<Integer>) (config, now) -> breaker.state().ordinal());
        MetricName opened = metrics.metricName("circuit-breaker-opened-total", "how many times the breaker opened", tags);
        metrics.addMetric(opened, (Gauge<Long>) (config, now) -> breaker.timesOpened());
    }

    /** The state the breaker is in, for tests and logs. */
    public CircuitBreaker.State state() {
        return breaker.state();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        transition();
        if (fallbackPending) {
            fallbackPending = false;
            return fallback();
        }
        if (!breaker.allowsCall()) {
            Thread.sleep(100); // open: the source is not asked until the timeout has passed
            return null;
        }
        try {
            if (delegate == null) {
                startDelegate();
            }
            List<SourceRecord> records = delegate.poll();
            breaker.success();
            transition();
            return records;
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("source poll failed ({} consecutive, breaker {}): {}", breaker.failures() + 1, breaker.state(), e.toString());
            stopDelegate();
            breaker.failure();
            transition();
            return null;
        }
    }

    /** Logs a change of state; opening schedules the fallback query. */
    private void transition() {
        CircuitBreaker.State now = breaker.state();
        if (now == reported) {
            return;
        }
        LOG.warn("circuit breaker {} -> {} (opened {} time(s))", reported, now, breaker.timesOpened());
        if (now == CircuitBreaker.State.OPEN && !fallbackQuery.isBlank()) {
            fallbackPending = true;
        }
        reported = now;
    }

    private List<SourceRecord> fallback() {
        List<Map<String, Object>> rows;
        try {
            rows = FallbackQuery.rows(url, user, password, fallbackQuery);
        } catch (java.sql.SQLException e) {
            LOG.warn("the fallback query failed, no rows while the breaker is open: {}", e.getMessage());
            return null;
        }
        fallbackRuns++;
        LOG.warn("circuit breaker open: {} row(s) of the fallback query written to {}", rows.size(), fallbackTopic);
        Map<String, Object> partition = Map.of("fallback_query", fallbackQuery);
        List<SourceRecord> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> value = plain(row);
            Object key = null;
            if (!keyColumns.isEmpty()) {
                Map<String, Object> k = new LinkedHashMap<>();
                keyColumns.forEach(c -> k.put(c, value.get(c)));
                key = fallbackAsText ? Json.object(k) : k;
            }
            out.add(new SourceRecord(partition, Map.of("run", fallbackRuns), fallbackTopic, null, null, key, null,
                    fallbackAsText ? Json.object(row) : value));
        }
        return out.isEmpty() ? null : out;
    }

    /** Values JsonConverter writes as Sluice's sources do: decimals as text (decimal.handling.mode = string), JSON as text. */
    private static Map<String, Object> plain(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof BigDecimal d ? d.toPlainString()
                : v instanceof Json.RawJson raw ? raw.text() : v));
        return out;
    }

    private void startDelegate() {
        delegate = CircuitBreakerSourceConnector.instantiate(delegateClass, SourceTask.class);
        delegate.initialize(context);
        delegate.start(props);
    }

    private void stopDelegate() {
        if (delegate != null) {
            try {
                delegate.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the failed source task: {}", e.toString());
            }
            delegate = null;
        }
    }

    @Override
    public void commit() throws InterruptedException {
        if (delegate != null) {
            delegate.commit();
        }
    }

    @Override
    public void commitRecord(SourceRecord record, org.apache.kafka.clients.producer.RecordMetadata metadata)
            throws InterruptedException {
        if (delegate != null && !record.sourcePartition().containsKey("fallback_query")) {
            delegate.commitRecord(record, metadata);
        }
    }

    @Override
    public void stop() {
        stopDelegate();
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
