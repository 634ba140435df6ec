package dev.sluice.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * A source connector whose input has one reader: one query, one HTTP endpoint, one bucket listing.
 * Its progress is one offset, so it runs one task whatever {@code tasks.max} says. Subclasses give
 * their settings and task; {@link #checkSettings} checks the settings when the connector starts, so a bad
 * setting fails the connector (and {@code sluice run} names it), not a task later.
 */
public abstract class OneReaderSourceConnector extends SourceConnector {
    private final ConfigDef definition;
    private final Class<? extends Task> task;
    private Map<String, String> props;

    protected OneReaderSourceConnector(ConfigDef definition, Class<? extends Task> task) {
        this.definition = definition;
        this.task = task;
    }

    /** Checks the settings; a subclass adds rules that span several settings. */
    protected void checkSettings(Map<String, Object> parsed) {
    }

    @Override
    public final void start(Map<String, String> props) {
        checkSettings(definition.parse(props));
        this.props = Map.copyOf(props);
    }

    @Override
    public final Class<? extends Task> taskClass() {
        return task;
    }

    @Override
    public final List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public final ConfigDef config() {
        return definition;
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
