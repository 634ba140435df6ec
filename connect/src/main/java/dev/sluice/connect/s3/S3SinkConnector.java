package dev.sluice.connect.s3;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Writes a topic of JSON rows as JSON-lines objects under key prefixes made from each row
 * ({@code events/year=${year}/month=${month}/}, see {@link dev.sluice.connect.PathTemplate}). Each
 * (prefix, topic partition) collects rows into one object named after its first offset,
 * {@code <topic>-<partition>-<offset>.jsonl}; it is uploaded when it reaches {@code file.size.bytes}
 * or when Connect commits offsets. A restart resumes from the committed offset and writes objects of
 * the same names, so rows are neither lost nor doubled.
 */
public final class S3SinkConnector extends dev.sluice.connect.PartitionedSinkConnector {
    static final ConfigDef DEF = S3Settings.define(new ConfigDef()
            .define("s3.bucket", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
            .define("s3.prefix", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                    "key prefix, with ${date}, ${hour}, ${year}, ${month}, ${day} and ${column} variables")
            .define("file.size.bytes", ConfigDef.Type.LONG, 128L << 20, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "an object is uploaded once it holds this many bytes"));

    public S3SinkConnector() {
        super(DEF, S3SinkTask.class);
    }
}
