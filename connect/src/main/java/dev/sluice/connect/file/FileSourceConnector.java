package dev.sluice.connect.file;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Reads the files a glob matches (CSV, JSON lines, gzip) into one topic, one record per line or
 * CSV row; picks up new files and lines appended to old ones. Each file's progress is a Connect
 * source offset ({@code {file} -> {line}}), so a restart neither loses nor repeats a line.
 */
public final class FileSourceConnector extends SourceConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        FileSourceConfig.parse(props); // fail the connector, not the task, on a bad setting
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileSourceTask.class;
    }

    /** One task: files are read in name order, and several tasks would interleave them. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED; // offsets and records can be written in one transaction
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return FileSourceConfig.DEF;
    }

    @Override
    public String version() {
        return dev.sluice.connect.ConnectorVersion.VERSION;
    }
}
