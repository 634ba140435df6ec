package dev.sluice.connect.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.connect.Json;
import dev.sluice.connect.parquet.JsonToParquet;
import dev.sluice.connect.parquet.ParquetRollingFile;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One local file of rows in a sink's format, shared by the file sink (which renames it into place)
 * and the S3 sink (which uploads it): JSON lines as written, CSV with a header of the first row's
 * columns, Parquet through Apache Parquet's writer, or an Avro object container file. Parquet and
 * Avro need the rows' Avro schema (the compiler plans it from the query's columns); a row that does
 * not fit it fails with {@link IllegalArgumentException} naming the column.
 */
public final class RowFileWriter implements Closeable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String format;
    private final Schema schema;
    private final CountingStream counted;
    private final BufferedWriter text;
    private final ParquetRollingFile parquet;
    private final DataFileWriter<GenericRecord> avro;
    private List<String> header;
    private long rows;

    public RowFileWriter(Path file, String format, Schema schema, String compression) throws IOException {
        this.format = normalize(format);
        this.schema = schema;
        if ((this.format.equals("parquet") || this.format.equals("avro")) && schema == null) {
            throw new IllegalArgumentException("format " + this.format + " needs the rows' Avro schema (avro.schema)");
        }
        if (this.format.equals("parquet")) {
            counted = null;
            text = null;
            avro = null;
            parquet = new ParquetRollingFile(file, schema, ParquetRollingFile.codec(compression));
        } else {
            counted = new CountingStream(Files.newOutputStream(file));
            parquet = null;
            if (this.format.equals("avro")) {
                text = null;
                avro = new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(schema)).setCodec(avroCodec(compression));
                avro.create(schema, counted);
            } else {
                avro = null;
                text = new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 65536);
            }
        }
    }

    /** jsonl (json, ndjson), csv, parquet or avro; anything else is refused. */
    public static String normalize(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "json", "jsonl", "ndjson", "" -> "jsonl";
            case "csv", "parquet", "avro" -> f;
            default -> throw new IllegalArgumentException("cannot write " + format + " files: jsonl, csv, parquet or avro");
        };
    }

    public static String extension(String format) {
        return "." + normalize(format);
    }

    /** Avro container codecs: snappy (the default), deflate (gzip), zstd, none. */
    static CodecFactory avroCodec(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "", "snappy", "auto" -> CodecFactory.snappyCodec();
            case "none", "uncompressed", "null" -> CodecFactory.nullCodec();
            case "gzip", "deflate" -> CodecFactory.deflateCodec(6);
            case "zstd" -> CodecFactory.zstandardCodec(3);
            default -> throw new IllegalArgumentException("unknown Avro compression '" + name
                    + "': snappy, deflate, zstd or none");
        };
    }

    /** Writes one row, given as Sluice's JSON text. */
    public void write(String json) throws IOException {
        switch (format) {
            case "parquet" -> parquet.write(JsonToParquet.record(node(json), schema));
            case "avro" -> avro.append(JsonToParquet.record(node(json), schema));
            case "csv" -> {
                Map<String, String> fields = Json.fields(json);
                if (header == null) {
                    header = new ArrayList<>(fields.keySet());
                    text.write(String.join(",", header.stream().map(RowFileWriter::csvField).toList()));
                    text.newLine();
                }
                List<String> values = new ArrayList<>();
                for (String column : header) {
                    String value = fields.get(column);
                    values.add(value == null ? "" : csvField(value));
                }
                text.write(String.join(",", values));
                text.newLine();
            }
            default -> {
                text.write(json.replace('\n', ' '));
                text.newLine();
            }
        }
        rows++;
    }

    private static JsonNode node(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON row: " + e.getMessage(), e);
        }
    }

    public static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    public long rows() {
        return rows;
    }

    /** Bytes written so far (for Parquet: plus those buffered in the open row group), what size rolling compares. */
    public long size() throws IOException {
        if (parquet != null) {
            return parquet.size();
        }
        if (text != null) {
            text.flush();
        } else {
            avro.flush();
        }
        return counted.count;
    }

    @Override
    public void close() throws IOException {
        if (parquet != null) {
            parquet.close();
        } else if (avro != null) {
            avro.close();
        } else {
            text.close();
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
