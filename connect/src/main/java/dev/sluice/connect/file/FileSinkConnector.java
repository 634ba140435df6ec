package dev.sluice.connect.file;

import org.apache.kafka.common.config.ConfigDef;


/**
 * Writes a topic's JSON rows into rolling files under a path made from each record's timestamp
 * (the row's event time): {@code /archive/${date}/${hour}/}. See {@link FileSinkTask}.
 */
public final class FileSinkConnector extends dev.sluice.connect.PartitionedSinkConnector {
    static final ConfigDef DEF = new ConfigDef()
            .define("path", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "directory template: ${date} ${hour} ${year} ${month} ${day} ${minute}, or ${column}")
            .define("format", ConfigDef.Type.STRING, "jsonl", ConfigDef.ValidString.in("jsonl", "json", "csv", "parquet", "avro"),
                    ConfigDef.Importance.HIGH, "jsonl/json (one object per line), csv (with a header) or parquet")
            .define("rotate.records", ConfigDef.Type.INT, 10_000, ConfigDef.Importance.LOW,
                    "records per file before a new one starts")
            .define("rotate.bytes", ConfigDef.Type.LONG, 0L, ConfigDef.Importance.LOW,
                    "bytes per file before a new one starts (0: no limit)")
            .define("rotate.interval.ms", ConfigDef.Type.LONG, 0L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                    "flush_interval: a file rolls once its rows span this much event time, or it has been open this"
                            + " long; it stays open across commits until then (0: every commit finishes the files)")
            .define("avro.schema", ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "parquet: the rows' columns as an Avro record schema (JSON), planned by the Sluice compiler")
            .define("compression", ConfigDef.Type.STRING, "snappy", ConfigDef.Importance.LOW,
                    "parquet: snappy, gzip, zstd, lz4 or none");

    public FileSinkConnector() {
        // file names carry the partition: tasks never write the same file
        super(DEF, FileSinkTask.class);
    }
}
