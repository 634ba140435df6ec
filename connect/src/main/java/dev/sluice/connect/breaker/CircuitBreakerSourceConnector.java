package dev.sluice.connect.breaker;

import dev.sluice.connect.ConnectorVersion;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's circuit breaker ({@code circuit_breaker_enabled}, {@code failure_threshold},
 * {@code timeout_seconds}, {@code success_threshold}, {@code fallback_query}) around any source
 * connector: the delegate named by {@code breaker.delegate.connector.class} runs as it would alone,
 * and each of its tasks is wrapped by a {@link CircuitBreakerSourceTask}.
 */
public final class CircuitBreakerSourceConnector extends SourceConnector {
    public static final String DELEGATE = "breaker.delegate.connector.class";
    static final String DELEGATE_TASK = "breaker.delegate.task.class";
    public static final ConfigDef DEF = new ConfigDef()
            .define(DELEGATE, ConfigDef.Type.CLASS, ConfigDef.Importance.HIGH, "the source connector the breaker wraps")
            .define("breaker.failure.threshold", ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "consecutive failed polls that open the breaker")
            .define("breaker.success.threshold", ConfigDef.Type.INT, 1, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "consecutive successful polls, half-open, that close it")
            .define("breaker.timeout.ms", ConfigDef.Type.LONG, 30_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM, "how long it stays open before it tries the source again")
            .define("breaker.fallback.query", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "run once each time the breaker opens; its rows go to breaker.fallback.topic")
            .define("breaker.fallback.topic", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "the topic the wrapped connector writes")
            .define("breaker.fallback.value", ConfigDef.Type.STRING, "map", ConfigDef.ValidString.in("map", "json-text"),
                    ConfigDef.Importance.LOW, "map: a schemaless map (JsonConverter); json-text: JSON text (StringConverter)")
            .define("breaker.fallback.key.columns", ConfigDef.Type.LIST, "", ConfigDef.Importance.LOW,
                    "columns of a fallback row that make its key (the table's primary key)")
            .define("breaker.connection.url", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, "JDBC URL")
            .define("breaker.connection.user", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM, "JDBC user")
            .define("breaker.connection.password", ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                    "JDBC password");

    private SourceConnector delegate;
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        delegate = instantiate((Class<?>) DEF.parse(props).get(DELEGATE), SourceConnector.class);
        delegate.initialize(context);
        delegate.start(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CircuitBreakerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> task : delegate.taskConfigs(maxTasks)) {
            Map<String, String> c = new LinkedHashMap<>(task);
            props.forEach((k, v) -> {
                if (k.startsWith("breaker.")) {
                    c.putIfAbsent(k, v);
                }
            });
            c.put(DELEGATE_TASK, delegate.taskClass().getName());
            out.add(c);
        }
        return out;
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef(DEF); // the delegate checks its own options when it starts
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    static <T> T instantiate(Class<?> type, Class<T> expected) {
        if (!expected.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a " + expected.getSimpleName());
        }
        try {
            return expected.cast(type.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + type.getName() + ": " + e, e);
        }
    }
}
