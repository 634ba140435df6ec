package dev.sluice.connect.s3;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Writes a topic of JSON rows as JSON-lines, CSV, Parquet or Avro objects under key prefixes made from each row
 * ({@code events/year=${year}/month=${month}/}, see {@link dev.sluice.connect.PathTemplate}). Each
 * (prefix, topic partition) collects rows into one object named after its first offset,
 * {@code <topic>-<partition>-<offset>.<format>}; it is uploaded when it reaches {@code file.size.bytes}
 * or when Connect commits offsets (or, with {@code rotate.interval.ms}, when its rows span that much
 * event time). A restart resumes from the committed offset and writes objects of
 * the same names, so rows are neither lost nor doubled.
 */
public final class S3SinkConnector extends dev.sluice.connect.PartitionedSinkConnector {
    static final ConfigDef DEF = S3Settings.define(new ConfigDef()
            .define("s3.bucket", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "bucket")
            .define("s3.prefix", ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                    "key prefix, with ${date}, ${hour}, ${year}, ${month}, ${day} and ${column} variables")
            .define("file.size.bytes", ConfigDef.Type.LONG, 128L << 20, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "an object is uploaded once it holds this many bytes")
            .define("rotate.interval.ms", ConfigDef.Type.LONG, 0L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "0: objects are uploaded at every commit; otherwise an object is uploaded once its rows span this"
                            + " much event time (or at its size), and offsets are committed only below open objects")
            .define("format", ConfigDef.Type.STRING, "jsonl", ConfigDef.ValidString.in("jsonl", "json", "csv", "parquet", "avro"),
                    ConfigDef.Importance.HIGH, "jsonl, csv (header of the first row's columns), parquet or avro (container file)")
            .define("avro.schema", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "the rows' columns as an Avro schema: needed for parquet and avro")
            .define("compression", ConfigDef.Type.STRING, "snappy", ConfigDef.Importance.LOW,
                    "parquet: snappy, gzip, zstd, lz4, none; avro: snappy, deflate, zstd, none"));

    public S3SinkConnector() {
        super(DEF, S3SinkTask.class);
    }
}
