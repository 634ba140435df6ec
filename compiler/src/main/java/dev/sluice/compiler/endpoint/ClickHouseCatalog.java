package dev.sluice.compiler.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.ast.NodeLocation;
import dev.sluice.serdes.row.Column;
import dev.sluice.serdes.row.DecimalType;
import dev.sluice.serdes.row.ScalarType;
import dev.sluice.serdes.row.Schema;
import dev.sluice.serdes.row.SqlType;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Columns of a ClickHouse table or query at compile time, over the HTTP interface:
 * {@code SELECT * FROM (q) LIMIT 0 FORMAT JSONCompact} names each column and its type on every
 * server version (18.16 included), without reading a row.
 */
public final class ClickHouseCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECIMAL = Pattern.compile("Decimal\\((\\d+),\\s*(\\d+)\\)");
    private static final Pattern DECIMAL_N = Pattern.compile("Decimal(32|64|128|256)\\((\\d+)\\)");

    private ClickHouseCatalog() {
    }

    /** The statement a source reads: its {@code query}, or all of its table. */
    public static String baseQuery(Endpoint.ClickHouse ch, Map<String, String> options) {
        if (options.containsKey("query")) {
            return options.get("query");
        }
        return "SELECT * FROM `" + database(ch, options) + "`.`" + ch.table().orElseThrow() + "`";
    }

    /** The URI's database; a {@code database} option counts only when the URI names none. */
    public static String database(Endpoint.ClickHouse ch, Map<String, String> options) {
        return ch.database().isEmpty() ? options.getOrDefault("database", "default") : ch.database();
    }

    public static Schema describe(Endpoint.ClickHouse ch, Map<String, String> options, NodeLocation where) {
        String sql = "SELECT * FROM (" + baseQuery(ch, options) + ") LIMIT 0 FORMAT JSONCompact";
        String user = Secrets.resolve(ch.user().orElse(options.getOrDefault("user", "default")));
        String password = Secrets.resolve(ch.password().orElse(options.getOrDefault("password", "")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ch.httpUrl() + "/?database="
                        + URLEncoder.encode(database(ch, options), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                String body = response.body().strip();
                throw new SqlException(where, "ClickHouse at " + ch.display() + " cannot describe the source: "
                        + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            }
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : JSON.readTree(response.body()).path("meta")) {
                columns.add(new Column(c.get("name").asText(), type(c.get("type").asText())));
            }
            return new Schema(columns);
        } catch (IOException e) {
            throw new SqlException(where, "cannot reach ClickHouse at " + ch.display() + " to read its columns: " + e,
                    "start the server, or declare the columns: CREATE STREAM name (col TYPE, ...) WITH (datasource = ...)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(where, "interrupted while reading the columns of " + ch.display());
        }
    }

    /** A ClickHouse type as the SQL type its JSONEachRow value reads as. */
    public static SqlType type(String clickHouse) {
        String t = clickHouse.strip();
        Matcher wrapped = Pattern.compile("^(Nullable|LowCardinality)\\((.*)\\)$").matcher(t);
        if (wrapped.matches()) {
            return type(wrapped.group(2));
        }
        Matcher d = DECIMAL.matcher(t);
        if (d.matches()) {
            return new DecimalType(Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)));
        }
        Matcher dn = DECIMAL_N.matcher(t);
        if (dn.matches()) {
            int precision = switch (dn.group(1)) {
                case "32" -> 9;
                case "64" -> 18;
                default -> 38;
            };
            return new DecimalType(precision, Integer.parseInt(dn.group(2)));
        }
        String head = t.replaceAll("\\(.*", "").toLowerCase(Locale.ROOT);
        return switch (head) {
            case "int8", "int16", "int32", "uint8", "uint16" -> ScalarType.INTEGER;
            case "uint32", "int64", "uint64" -> ScalarType.BIGINT;
            case "float32", "float64" -> ScalarType.DOUBLE;
            case "bool", "boolean" -> ScalarType.BOOLEAN;
            case "date", "date32" -> ScalarType.DATE;
            case "datetime", "datetime64" -> ScalarType.TIMESTAMP;
            case "array", "map", "tuple", "nested", "json", "object" -> ScalarType.VARIANT;
            default -> ScalarType.VARCHAR; // String, FixedString, UUID, Enum, IPv4/6, anything newer
        };
    }
}
