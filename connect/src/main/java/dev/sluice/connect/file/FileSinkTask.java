package dev.sluice.connect.file;

import dev.sluice.connect.ConnectorVersion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.connect.Json;
import dev.sluice.connect.parquet.JsonToParquet;
import dev.sluice.connect.parquet.ParquetRollingFile;
import org.apache.avro.Schema;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import dev.sluice.connect.PathTemplate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling files by event time: {@code ${date}} (yyyy-MM-dd), {@code ${hour}}, {@code ${year}},
 * {@code ${month}}, {@code ${day}}, {@code ${minute}} come from the record timestamp (the row's event
 * time), in UTC; any other {@code ${name}}, or one of those when the row has such a column, is the
 * row's column value. Each (directory, topic partition) has one open file, written as a
 * hidden {@code .name.tmp} and renamed to {@code <topic>-<partition>-<first offset>.<ext>} when
 * Connect commits offsets. A restart resumes from the committed offset and writes files of the same
 * names again, so a file is either whole or absent, and rows are never doubled. Parquet files are
 * written by Apache Parquet's writer in the Avro schema the compiler planned ({@code avro.schema});
 * a file rolls after {@code rotate.records} rows or {@code rotate.bytes} bytes.
 */
public final class FileSinkTask extends SinkTask {
    private String template;
    private String format;
    private int rotateRecords;
    private long rotateBytes;
    private Schema parquetSchema;
    private CompressionCodecName codec;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, OpenFile> open = new LinkedHashMap<>();

    /** One file being written: text (JSON lines, CSV) or Parquet, exactly one of the two. */
    private static final class OpenFile {
        final Path tmp;
        final Path target;
        final BufferedWriter writer;
        final ParquetRollingFile parquet;
        List<String> header;
        int records;

        OpenFile(Path tmp, Path target, Schema parquetSchema, CompressionCodecName codec) throws IOException {
            this.tmp = tmp;
            this.target = target;
            this.writer = parquetSchema == null ? Files.newBufferedWriter(tmp, StandardCharsets.UTF_8) : null;
            this.parquet = parquetSchema == null ? null : new ParquetRollingFile(tmp, parquetSchema, codec);
        }

        long size() throws IOException {
            return parquet != null ? parquet.size() : -1;
        }

        void close() throws IOException {
            if (parquet != null) {
                parquet.close();
            } else {
                writer.close();
            }
        }
    }

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> v = FileSinkConnector.DEF.parse(props);
        template = (String) v.get("path");
        format = (String) v.get("format");
        rotateRecords = (Integer) v.get("rotate.records");
        rotateBytes = (Long) v.get("rotate.bytes");
        if (format.equals("parquet")) {
            String schema = (String) v.get("avro.schema");
            if (schema.isBlank()) {
                throw new ConnectException("format parquet needs avro.schema: the columns of the rows to write");
            }
            parquetSchema = new Schema.Parser().parse(schema);
            codec = ParquetRollingFile.codec((String) v.get("compression"));
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord r : records) {
                if (r.value() == null) {
                    continue; // a tombstone deletes a key: nothing to append to a file
                }
                String json = r.value().toString();
                Map<String, String> fields = format.equals("csv") || template.contains("${") ? Json.fields(json) : Map.of();
                Path dir = Path.of(directory(r.timestamp(), fields));
                String key = dir + "|" + r.topic() + "|" + r.kafkaPartition();
                OpenFile f = open.get(key);
                if (f == null) {
                    Files.createDirectories(dir);
                    String name = r.topic() + "-" + r.kafkaPartition() + "-" + String.format("%019d", r.kafkaOffset())
                            + switch (format) {
                                case "csv" -> ".csv";
                                case "parquet" -> ".parquet";
                                default -> ".jsonl";
                            };
                    f = new OpenFile(dir.resolve("." + name + ".tmp"), dir.resolve(name), parquetSchema, codec);
                    open.put(key, f);
                }
                if (f.parquet != null) {
                    f.parquet.write(parquetRow(json, r));
                } else if (format.equals("csv")) {
                    if (f.header == null) {
                        f.header = new ArrayList<>(fields.keySet());
                        f.writer.write(String.join(",", f.header.stream().map(FileSinkTask::csvField).toList()));
                        f.writer.newLine();
                    }
                    List<String> values = new ArrayList<>();
                    for (String column : f.header) {
                        String value = fields.get(column);
                        values.add(value == null ? "" : csvField(value));
                    }
                    f.writer.write(String.join(",", values));
                } else {
                    f.writer.write(json);
                }
                if (f.writer != null) {
                    f.writer.newLine();
                }
                if (++f.records >= rotateRecords || rotateBytes > 0 && f.size() >= rotateBytes) {
                    close(key); // the next record of this directory starts a file at its own offset
                }
            }
        } catch (IOException e) {
            throw new ConnectException("cannot write files under " + template + ": " + e.getMessage(), e);
        }
    }

    private org.apache.avro.generic.GenericRecord parquetRow(String text, SinkRecord r) {
        try {
            JsonNode row = mapper.readTree(text);
            return JsonToParquet.record(row, parquetSchema);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConnectException("cannot write " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
                    + " as Parquet: " + e.getMessage(), e);
        }
    }

    /** Files are made visible just before Connect commits the offsets of their records. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            for (String key : new ArrayList<>(open.keySet())) {
                close(key);
            }
        } catch (IOException e) {
            throw new ConnectException("cannot finish files under " + template + ": " + e.getMessage(), e);
        }
    }

    private void close(String key) throws IOException {
        OpenFile f = open.remove(key);
        f.close();
        Files.move(f.tmp, f.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String directory(Long timestamp, Map<String, String> fields) {
        return PathTemplate.expand(template, timestamp, fields);
    }

    static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    @Override
    public void stop() {
        for (OpenFile f : open.values()) {
            try {
                f.close();
                Files.deleteIfExists(f.tmp); // uncommitted: the restarted task writes these rows again
            } catch (IOException ignored) {
                // stopping: the temp file is hidden and replaced on restart
            }
        }
        open.clear();
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
