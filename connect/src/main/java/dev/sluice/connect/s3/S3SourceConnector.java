package dev.sluice.connect.s3;

import dev.sluice.connect.format.RowReadingConfig;
import org.apache.kafka.common.config.ConfigDef;


/**
 * Reads JSON-lines (gzip when the key ends in {@code .gz}), CSV, Parquet or Avro container objects whose keys match
 * {@code s3.keys} in {@code s3.bucket}, in key order, and writes each line as a record. The bucket is
 * listed every {@code poll.interval.ms}, so new objects are picked up. Each object's progress (lines
 * written, or rows for Parquet and Avro) is its Connect source offset: a restart neither repeats nor skips a line.
 */
public final class S3SourceConnector extends dev.sluice.connect.OneReaderSourceConnector {
    static final ConfigDef DEF = S3Settings.define(RowReadingConfig.define(new ConfigDef(), "object")
            .define("s3.bucket", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
            .define("s3.keys", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "key pattern: prefix/*.jsonl, prefix/")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic written")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM, "time between listings")
            .define("format", ConfigDef.Type.STRING, "jsonl", ConfigDef.ValidString.in("jsonl", "csv", "parquet", "avro"),
                    ConfigDef.Importance.HIGH, "jsonl (gzip when the key ends in .gz), csv, parquet or avro (object container files)"));

    public S3SourceConnector() {
        super(DEF, S3SourceTask.class);
    }
}
