package dev.sluice.connect.s3;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Reads JSON-lines objects (gzip when the key ends in {@code .gz}) whose keys match
 * {@code s3.keys} in {@code s3.bucket}, in key order, and writes each line as a record. The bucket is
 * listed every {@code poll.interval.ms}, so new objects are picked up. Each object's progress (lines
 * written) is its Connect source offset: a restart neither repeats nor skips a line.
 */
public final class S3SourceConnector extends SourceConnector {
    static final ConfigDef DEF = S3Settings.define(new ConfigDef()
            .define("s3.bucket", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
            .define("s3.keys", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "key pattern: prefix/*.jsonl, prefix/")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM, "time between listings"));
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        DEF.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3SourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DEF;
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
