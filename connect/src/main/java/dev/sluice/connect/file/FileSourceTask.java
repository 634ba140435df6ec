package dev.sluice.connect.file;

import dev.sluice.connect.ConnectorVersion;
import dev.sluice.connect.Json;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads files line by line. The offset of a file is the number of physical lines consumed
 * (header and skipped lines included), stored after each record, so a restarted task re-opens the
 * file and skips exactly what was already written. A plain file that grows is read on; a gzip file
 * is finished at its end. A Parquet file is read row by row through Apache Parquet's reader; its
 * offset counts rows, and it is finished at its end (Parquet files are written whole). One that
 * cannot be opened yet (no footer: still being written) is tried again when its size changes. An Avro
 * object container file is read the same way (its header holds the schema; its offset counts rows).
 */
public final class FileSourceTask extends SourceTask {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileSourceTask.class);
    private FileSourceConfig config;
    private FileGlob glob;
    private CsvParser csv;
    private final Map<Path, FileProgress> files = new TreeMap<>();
    private long nextScan;

    /** Where one file stands. {@code sizeAtEnd} is its size when its end was last reached. */
    private static final class FileProgress {
        final Path path;
        long line;
        long sizeAtEnd = -1;
        boolean finished;
        BufferedReader reader;
        WholeFileRows parquet; // a Parquet or Avro container file, read row by row
        List<String> header = List.of();

        FileProgress(Path path, long line) {
            this.path = path;
            this.line = line;
        }
    }

    @Override
    public void start(Map<String, String> props) {
        config = FileSourceConfig.parse(props);
        glob = FileGlob.of(config.path());
        csv = new CsvParser(config.delimiter(), config.quote());
        nextScan = 0;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long now = System.currentTimeMillis();
        if (now >= nextScan) {
            scan();
            nextScan = now + config.pollIntervalMs();
        }
        List<SourceRecord> out = new ArrayList<>();
        for (FileProgress f : files.values()) {
            if (out.size() >= config.batchSize()) {
                break;
            }
            if (f.reader != null) {
                read(f, out);
            } else if (f.parquet != null) {
                readParquet(f, out);
            }
        }
        if (out.isEmpty()) {
            Thread.sleep(Math.max(1, Math.min(200, nextScan - System.currentTimeMillis())));
            return null;
        }
        return out;
    }

    private void scan() {
        for (Path p : glob.list()) {
            FileProgress f = files.computeIfAbsent(p, this::restore);
            try {
                if (f.reader == null && f.parquet == null && !f.finished && Files.size(p) != f.sizeAtEnd) {
                    open(f);
                }
            } catch (IOException e) {
                throw new ConnectException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private FileProgress restore(Path p) {
        Map<String, Object> offset = context.offsetStorageReader().offset(partition(p));
        long line = offset == null || offset.get("line") == null ? 0 : ((Number) offset.get("line")).longValue();
        return new FileProgress(p, line);
    }

    private static Map<String, String> partition(Path p) {
        return Map.of("file", p.toAbsolutePath().toString());
    }

    private boolean gzip(Path p) {
        return config.compression().equals("gzip")
                || config.compression().equals("auto") && p.getFileName().toString().endsWith(".gz");
    }

    private void open(FileProgress f) throws IOException {
        if (config.format().equals("parquet") || config.format().equals("avro")) {
            try {
                f.parquet = WholeFileRows.open(config.format(), f.path, f.line);
            } catch (IOException | RuntimeException e) {
                f.sizeAtEnd = Files.size(f.path); // not a whole file yet: look again when it changes
                LOG.warn("cannot open {} as {} yet (tried again when it changes): {}", f.path, config.format(), e.getMessage());
            }
            return;
        }
        InputStream in = Files.newInputStream(f.path);
        if (gzip(f.path)) {
            in = new GZIPInputStream(in, 65536);
        }
        f.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
        // Skip what earlier runs wrote; the header is read on the way past.
        for (long i = 1; i <= f.line; i++) {
            String skipped = f.reader.readLine();
            if (skipped == null) {
                break;
            }
            if (i == config.headerLine() && config.format().equals("csv")) {
                f.header = csv.fields(skipped);
            }
        }
    }

    private void read(FileProgress f, List<SourceRecord> out) {
        try {
            while (out.size() < config.batchSize()) {
                String text = f.reader.readLine();
                if (text == null) {
                    atEnd(f);
                    return;
                }
                int consumed = 1;
                if (config.format().equals("csv")) {
                    while (!csv.complete(text)) { // a quoted field spans lines
                        String next = f.reader.readLine();
                        if (next == null) {
                            atEnd(f); // the rest of the record is not written yet: read it again later
                            return;
                        }
                        text = text + "\n" + next;
                        consumed++;
                    }
                }
                f.line += consumed;
                if (f.line <= config.linesBeforeData()) {
                    if (f.line == config.headerLine() && config.format().equals("csv")) {
                        f.header = csv.fields(text);
                    }
                    continue;
                }
                if (text.isBlank()) {
                    continue;
                }
                String value = config.format().equals("csv") ? Json.object(row(f, csv.fields(text)))
                        : text;
                out.add(new SourceRecord(partition(f.path), Map.of("line", f.line), config.topic(), null, null,
                        null, value));
            }
        } catch (IOException e) {
            throw new ConnectException("cannot read " + f.path + " after line " + f.line + ": " + e.getMessage(), e);
        }
    }

    private void readParquet(FileProgress f, List<SourceRecord> out) {
        try {
            while (out.size() < config.batchSize()) {
                Map<String, Object> row = f.parquet.next();
                if (row == null) {
                    f.parquet.close();
                    f.parquet = null;
                    f.sizeAtEnd = Files.size(f.path);
                    f.finished = true;
                    return;
                }
                f.line++;
                partitionValues(f, row);
                out.add(new SourceRecord(partition(f.path), Map.of("line", f.line), config.topic(), null, null,
                        null, Json.object(row)));
            }
        } catch (IOException | RuntimeException e) {
            throw new ConnectException("cannot read " + f.path + " after row " + f.line + ": " + e.getMessage(), e);
        }
    }

    private void atEnd(FileProgress f) throws IOException {
        f.reader.close();
        f.reader = null;
        f.sizeAtEnd = Files.size(f.path);
        f.finished = gzip(f.path); // a compressed file is written whole; a plain one may grow
    }

    /** CSV fields named by the header (or by the planned columns, in order) and typed as planned. */
    private Map<String, Object> row(FileProgress f, List<String> fields) {
        List<String> names = !f.header.isEmpty() ? f.header : new ArrayList<>(config.columns().keySet());
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String name = i < names.size() ? names.get(i).trim() : "c" + (i + 1);
            row.put(name, typed(fields.get(i), config.columns().get(name)));
        }
        partitionValues(f, row);
        return row;
    }

    /** {@code year=2024} directory names above the file, as columns of its rows. */
    private void partitionValues(FileProgress f, Map<String, Object> row) {
        for (String column : config.partitionColumns()) {
            for (Path part = f.path.getParent(); part != null && part.getFileName() != null; part = part.getParent()) {
                String dir = part.getFileName().toString();
                if (dir.startsWith(column + "=")) {
                    String text = dir.substring(column.length() + 1);
                    row.put(column, typed(text, config.columns().get(column)));
                    break;
                }
            }
        }
    }

    /** Text as the planned type; text that does not parse stays text, so Sluice dead-letters the row. */
    public static Object typed(String text, String type) {
        if (type == null || type.startsWith("VARCHAR") || type.equals("STRING") || type.startsWith("CHAR")) {
            return text;
        }
        if (text.isEmpty()) {
            return null;
        }
        try {
            return switch (type) {
                case "BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT" -> Long.parseLong(text.trim());
                case "DOUBLE", "FLOAT", "REAL" -> Double.parseDouble(text.trim());
                case "BOOLEAN" -> switch (text.trim().toLowerCase()) {
                    case "true", "t", "1", "yes" -> Boolean.TRUE;
                    case "false", "f", "0", "no" -> Boolean.FALSE;
                    default -> text;
                };
                default -> type.startsWith("DECIMAL") ? new BigDecimal(text.trim()) : text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }

    @Override
    public void stop() {
        for (FileProgress f : files.values()) {
            if (f.parquet != null) {
                try {
                    f.parquet.close();
                } catch (IOException ignored) {
                    // closing on stop: nothing left to save
                }
            }
            if (f.reader != null) {
                try {
                    f.reader.close();
                } catch (IOException ignored) {
                    // closing on stop: nothing left to save
                }
            }
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }
}
