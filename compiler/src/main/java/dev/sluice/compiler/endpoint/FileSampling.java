package dev.sluice.compiler.endpoint;

import dev.sluice.connect.file.CsvParser;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Columns of a {@code file://} source at compile time: a CSV header (every column VARCHAR, or
 * inferred from the first rows with {@code infer_types = true}), JSON lines sampled, or the footer
 * of the first Parquet file. The same
 * glob rules as the connector: {@code *} stays within one directory level.
 */
public final class FileSampling {
    private FileSampling() {
    }

    public record Found(Schema schema, String note) {
    }

    public static Found discover(Endpoint.Files f, Map<String, String> options, NodeLocation where) {
        String format = ConnectorPlanner.fileFormat(f, options, where);
        List<Path> files = list(f.path());
        if (files.isEmpty()) {
            throw new SqlException(where, "no file matches " + f.display() + " to read its columns from",
                    "declare them: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + f.display() + "', ...)");
        }
        if (format.equals("parquet")) {
            // the footer says it: no sampling, and files of one glob are expected to share a schema
            Schema schema = ParquetFooter.columns(files.get(0), where);
            for (String partition : partitionColumns(options)) {
                if (schema.indexOf(partition).isEmpty()) {
                    schema = schema.append(new Column(partition, ScalarType.VARCHAR));
                }
            }
            List<String> finer = ParquetFooter.finerThanMillis(files.get(0));
            return new Found(schema, "columns of " + f.display() + " from the Parquet footer of " + files.get(0)
                    .getFileName() + " (" + files.size() + " file(s))" + (finer.isEmpty() ? ""
                    : "; " + TimestampPrecision.cutNote(finer)));
        }
        if (format.equals("avro")) {
            // an Avro object container file's header holds its schema, as a Parquet footer does
            Schema schema;
            try (var avro = new org.apache.avro.file.DataFileReader<Object>(files.get(0).toFile(),
                    new org.apache.avro.generic.GenericDatumReader<>())) {
                schema = dev.sluice.serdes.format.avro.AvroSchemas.toSluiceSchema(avro.getSchema());
            } catch (java.io.IOException | RuntimeException e) {
                throw new SqlException(where, files.get(0) + " is not an Avro object container file: " + e.getMessage(),
                        "format = 'avro' reads Avro container files (the header holds the schema)");
            }
            for (String partition : partitionColumns(options)) {
                if (schema.indexOf(partition).isEmpty()) {
                    schema = schema.append(new Column(partition, ScalarType.VARCHAR));
                }
            }
            return new Found(schema, "columns of " + f.display() + " from the Avro schema of " + files.get(0).getFileName()
                    + " (" + files.size() + " file(s))");
        }
        int sampleSize = Integer.parseInt(options.getOrDefault("sample_size", "1000"));
        boolean infer = Boolean.parseBoolean(options.getOrDefault("infer_types", format.equals("csv") ? "false" : "true"));
        List<String> lines = new ArrayList<>();
        List<String> header = List.of();
        boolean gzip = options.getOrDefault("compression", "auto").equalsIgnoreCase("gzip");
        char delimiter = options.getOrDefault("delimiter", ",").charAt(0);
        char quote = options.getOrDefault("quote_char", "\"").charAt(0);
        CsvParser csv = new CsvParser(delimiter, quote); // the connector's own splitting: sampled columns match what it reads
        boolean hasHeader = Boolean.parseBoolean(options.getOrDefault("header", "true"));
        int skip = Integer.parseInt(options.getOrDefault("skip_lines", "0"));
        int headerLine = hasHeader && format.equals("csv") ? Math.max(1, skip) : 0;
        for (Path p : files) {
            try (BufferedReader r = reader(p, gzip)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null && lines.size() < sampleSize) {
                    n++;
                    if (n == headerLine && format.equals("csv") && header.isEmpty()) {
                        header = csv.fields(line);
                    }
                    if (n <= Math.max(skip, headerLine) || line.isBlank()) {
                        continue;
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new SqlException(where, "cannot read " + p + ": " + e.getMessage());
            }
            if (lines.size() >= sampleSize) {
                break;
            }
        }
        Schema schema;
        if (format.equals("csv")) {
            schema = csvSchema(header, lines, delimiter, quote, infer);
        } else {
            schema = JsonSampling.infer(lines, infer).schema();
        }
        for (String partition : partitionColumns(options)) {
            if (schema.indexOf(partition).isEmpty()) {
                schema = schema.append(new Column(partition, ScalarType.VARCHAR));
            }
        }
        if (schema.size() == 0) {
            throw new SqlException(where, "no columns found in the files of " + f.display(),
                    "declare them: CREATE STREAM name (col TYPE, ...) WITH (datasource = '" + f.display() + "')");
        }
        return new Found(schema, "columns of " + f.display() + " from " + (format.equals("csv") && hasHeader
                ? "the CSV header" : lines.size() + " sampled line(s)") + " of " + files.size() + " file(s)");
    }

    /** CSV columns named by the header (c1, c2, ... without one), VARCHAR or, with {@code infer}, typed from the rows. */
    static Schema csvSchema(List<String> header, List<String> lines, char delimiter, char quote, boolean infer) {
        if (header.isEmpty()) {
            int width = lines.isEmpty() ? 0 : new CsvParser(delimiter, quote).fields(lines.get(0)).size();
            header = new ArrayList<>();
            for (int i = 1; i <= width; i++) {
                header.add("c" + i);
            }
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            SqlType type = ScalarType.VARCHAR;
            if (infer) {
                type = ScalarType.NULL;
                for (String line : lines) {
                    List<String> fields = new CsvParser(delimiter, quote).fields(line);
                    if (i < fields.size() && !fields.get(i).isEmpty()) {
                        type = JsonSampling.widen(type, csvType(fields.get(i)));
                    }
                }
                type = type == ScalarType.NULL ? ScalarType.VARCHAR : type;
            }
            columns.add(new Column(header.get(i).trim(), type));
        }
        return new Schema(columns);
    }

    static List<String> partitionColumns(Map<String, String> options) {
        String p = options.getOrDefault("partition_columns", "");
        return p.isBlank() ? List.of() : List.of(p.split("\\s*,\\s*"));
    }

    private static SqlType csvType(String text) {
        String t = text.trim();
        if (t.matches("-?\\d{1,18}")) {
            return ScalarType.BIGINT;
        }
        if (t.matches("-?\\d*\\.\\d+([eE][-+]?\\d+)?")) {
            return ScalarType.DOUBLE;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return ScalarType.BOOLEAN;
        }
        return ScalarType.VARCHAR;
    }

    private static BufferedReader reader(Path p, boolean gzip) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (gzip || p.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The connector's glob rules, repeated here because the compiler must not depend on the plugin. */
    static List<Path> list(String glob) {
        int star = -1;
        for (int i = 0; i < glob.length(); i++) {
            if ("*?[{".indexOf(glob.charAt(i)) >= 0) {
                star = i;
                break;
            }
        }
        if (star < 0) {
            Path p = Path.of(glob);
            if (Files.isDirectory(p)) {
                return list(glob.endsWith("/") ? glob + "*" : glob + "/*");
            }
            return Files.isRegularFile(p) ? List.of(p) : List.of();
        }
        int slash = glob.lastIndexOf('/', star);
        Path root = Path.of(slash <= 0 ? "/" : glob.substring(0, slash));
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
