package dev.sluice.connect.s3;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Reads JSON-lines objects (gzip when the key ends in {@code .gz}) whose keys match
 * {@code s3.keys} in {@code s3.bucket}, in key order, and writes each line as a record. The bucket is
 * listed every {@code poll.interval.ms}, so new objects are picked up. Each object's progress (lines
 * written) is its Connect source offset: a restart neither repeats nor skips a line.
 */
public final class S3SourceConnector extends dev.sluice.connect.OneReaderSourceConnector {
    static final ConfigDef DEF = S3Settings.define(new ConfigDef()
            .define("s3.bucket", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
            .define("s3.keys", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "key pattern: prefix/*.jsonl, prefix/")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM, "time between listings"));

    public S3SourceConnector() {
        super(DEF, S3SourceTask.class);
    }
}
