package dev.sluice.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A sink connector whose tasks share one configuration: Connect spreads the topic's partitions over
 * {@code tasks.max} tasks, and each task writes what it is given (file and object names carry the
 * partition, a table takes rows from any task). Subclasses give their settings and task.
 */
public abstract class PartitionedSinkConnector extends SinkConnector {
    private final ConfigDef definition;
    private final Class<? extends Task> task;
    private Map<String, String> props;

    protected PartitionedSinkConnector(ConfigDef definition, Class<? extends Task> task) {
        this.definition = definition;
        this.task = task;
    }

    @Override
    public final void start(Map<String, String> props) {
        definition.parse(props); // fail the connector, not a task, on a bad setting
        this.props = Map.copyOf(props);
    }

    @Override
    public final Class<? extends Task> taskClass() {
        return task;
    }

    @Override
    public final List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
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
