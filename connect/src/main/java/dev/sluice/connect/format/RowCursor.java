package dev.sluice.connect.format;

import dev.sluice.connect.Json;
import dev.sluice.connect.file.CsvParser;
import dev.sluice.connect.file.FileSourceTask;
import dev.sluice.connect.parquet.ParquetRows;
import dev.sluice.connect.parquet.ParquetToJson;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The rows of one whole object (an S3 object, read once it is written) as Sluice's JSON text, one at a
 * time, so a large object is streamed rather than held: JSON lines, CSV (the file source's parser and
 * typing), Parquet (the file source's {@link ParquetRows}, over a local copy because Parquet's footer
 * is at the end) or an Avro object container file (its records through the same conversion as
 * Parquet's). {@link #position} is the object's offset: lines consumed for text, rows for Parquet and
 * Avro; {@link #open} skips what an earlier run delivered.
 */
public abstract class RowCursor implements Closeable {
    protected long position;

    /** The next row, or null at the end of the object. */
    public abstract String next() throws IOException;

    public long position() {
        return position;
    }

    /** How CSV text is read: the planned columns name and type the fields. */
    public record Csv(boolean header, char delimiter, char quote, int skipLines, Map<String, String> columns) {
        int headerLine() {
            return header ? Math.max(1, skipLines) : 0;
        }
    }

    /**
     * Opens {@code in} (whose name says whether it is gzip text) in {@code format}; {@code scratch}
     * is where a Parquet object is copied (deleted on close).
     */
    public static RowCursor open(String format, String name, InputStream in, long skip, Csv csv, Path scratch)
            throws IOException {
        return switch (format) {
            case "parquet" -> {
                Files.copy(in, scratch, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                in.close();
                yield new Parquet(scratch, skip);
            }
            case "avro" -> new Avro(in, skip);
            default -> new Text(format.equals("csv") ? csv : null,
                    new BufferedReader(new InputStreamReader(name.endsWith(".gz") ? new GZIPInputStream(in, 65536) : in,
                            StandardCharsets.UTF_8), 65536), skip);
        };
    }

    private static final class Text extends RowCursor {
        private final Csv csv;
        private final CsvParser parser;
        private final BufferedReader reader;
        private List<String> header = List.of();

        Text(Csv csv, BufferedReader reader, long skip) throws IOException {
            this.csv = csv;
            this.parser = csv == null ? null : new CsvParser(csv.delimiter(), csv.quote());
            this.reader = reader;
            while (position < skip) {
                String line = record();
                if (line == null) {
                    break;
                }
            }
        }

        /** The next physical record (a quoted CSV field may span lines), counting lines; header kept. */
        private String record() throws IOException {
            String text = reader.readLine();
            if (text == null) {
                return null;
            }
            position++;
            if (parser != null) {
                while (!parser.complete(text)) {
                    String more = reader.readLine();
                    if (more == null) {
                        break;
                    }
                    text = text + "\n" + more;
                    position++;
                }
                if (position == csv.headerLine()) {
                    header = parser.fields(text);
                }
            }
            return text;
        }

        @Override
        public String next() throws IOException {
            while (true) {
                String text = record();
                if (text == null) {
                    return null;
                }
                if (parser != null && position <= Math.max(csv.skipLines(), csv.headerLine()) || text.isBlank()) {
                    continue;
                }
                return parser == null ? text : Json.object(row(parser.fields(text)));
            }
        }

        private Map<String, Object> row(List<String> fields) {
            List<String> names = !header.isEmpty() ? header : new ArrayList<>(csv.columns().keySet());
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                String name = i < names.size() ? names.get(i).trim() : "c" + (i + 1);
                row.put(name, FileSourceTask.typed(fields.get(i), csv.columns().get(name)));
            }
            return row;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static final class Parquet extends RowCursor {
        private final Path copy;
        private final ParquetRows rows;

        Parquet(Path copy, long skip) throws IOException {
            this.copy = copy;
            this.rows = ParquetRows.open(copy, skip);
            this.position = skip;
        }

        @Override
        public String next() throws IOException {
            Map<String, Object> row = rows.next();
            if (row == null) {
                return null;
            }
            position++;
            return Json.object(row);
        }

        @Override
        public void close() throws IOException {
            rows.close();
            Files.deleteIfExists(copy);
        }
    }

    private static final class Avro extends RowCursor {
        private final DataFileStream<GenericRecord> records;

        Avro(InputStream in, long skip) throws IOException {
            records = new DataFileStream<>(in, new GenericDatumReader<>());
            while (position < skip && records.hasNext()) {
                records.next();
                position++;
            }
        }

        @Override
        public String next() {
            if (!records.hasNext()) {
                return null;
            }
            position++;
            return Json.object(ParquetToJson.row(records.next()));
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }
}
