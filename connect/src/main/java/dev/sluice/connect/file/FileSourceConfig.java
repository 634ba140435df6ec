package dev.sluice.connect.file;

import dev.sluice.connect.format.RowCursor;
import dev.sluice.connect.format.RowReadingConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The file source's settings, typed once (Connect validates them against {@link #DEF} before a
 * task starts). {@code columns} is {@code name:TYPE;...} as the Sluice compiler planned them: CSV
 * text is converted to those types, and without a header the columns name the fields in order.
 */
public record FileSourceConfig(String path, String topic, String format, String compression, boolean header,
                               char delimiter, char quote, int skipLines, Map<String, String> columns,
                               List<String> partitionColumns, long pollIntervalMs, int batchSize) {
    public static final ConfigDef DEF = RowReadingConfig.define(new ConfigDef(), "file")
            .define("path", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "file glob, e.g. /data/sales/*.csv")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic to write")
            .define("format", ConfigDef.Type.STRING, "jsonl", ConfigDef.ValidString.in("csv", "jsonl", "json", "parquet", "avro"),
                    ConfigDef.Importance.HIGH, "csv, jsonl/json (one JSON object per line), parquet or avro (object container files)")
            .define("compression", ConfigDef.Type.STRING, "auto", ConfigDef.ValidString.in("auto", "none", "gzip"),
                    ConfigDef.Importance.MEDIUM, "auto: gzip for names ending in .gz")
            .define("partition.columns", ConfigDef.Type.LIST, "", ConfigDef.Importance.LOW,
                    "key=value directory names added to each row, e.g. year,month")
            .define("poll.interval.ms", ConfigDef.Type.LONG, 1000L, ConfigDef.Importance.LOW, "how often new files are looked for")
            .define("batch.size", ConfigDef.Type.INT, 1000, ConfigDef.Importance.LOW, "records per poll");

    public static FileSourceConfig parse(Map<String, String> props) {
        Map<String, Object> v = DEF.parse(props);
        RowCursor.Csv csv = RowReadingConfig.csv(v);
        @SuppressWarnings("unchecked")
        List<String> partitions = new ArrayList<>((List<String>) v.get("partition.columns"));
        partitions.removeIf(String::isBlank);
        return new FileSourceConfig((String) v.get("path"), (String) v.get("topic"), (String) v.get("format"),
                (String) v.get("compression"), csv.header(), csv.delimiter(), csv.quote(), csv.skipLines(), csv.columns(), partitions,
                (Long) v.get("poll.interval.ms"), (Integer) v.get("batch.size"));
    }

    /** The header line's position (1-based), or 0 without a header. */
    public int headerLine() {
        return header && format.equals("csv") ? Math.max(1, skipLines) : 0;
    }

    /** Lines before the first record. */
    public int linesBeforeData() {
        return Math.max(skipLines, headerLine());
    }
}
