package dev.sluice.connect.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ClickHouse over its HTTP interface, the one protocol every server version speaks the same way
 * (the Java client v2 and JDBC drivers need functions and formats 18.16 does not have). Statements
 * go in the POST body; an INSERT's statement goes in the URL and its rows in the body. Credentials
 * are sent as HTTP Basic auth (never in the URL, where proxies log them); https:// URLs use TLS.
 */
public final class ClickHouseHttp {
    private final HttpClient client;
    private final String baseUrl;
    private final String database;
    private final String authorization;
    private final Duration timeout;

    public ClickHouseHttp(String baseUrl, String database, String user, String password, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.database = database;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /** A statement's whole answer as text (add {@code FORMAT ...} to the statement to choose its shape). */
    public String query(String sql, Map<String, String> settings) throws IOException, InterruptedException,
            ClickHouseException {
        return send(url(settings), HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
    }

    /** {@code INSERT INTO table FORMAT JSONEachRow} with {@code rows} (one JSON object per line) as the data. */
    public void insertJsonEachRow(String table, String rows, Map<String, String> settings)
            throws IOException, InterruptedException, ClickHouseException {
        Map<String, String> params = new LinkedHashMap<>(settings);
        params.put("query", "INSERT INTO " + table + " FORMAT JSONEachRow");
        send(url(params), HttpRequest.BodyPublishers.ofString(rows, StandardCharsets.UTF_8));
    }

    /** The server's version, e.g. {@code 18.16.1}. */
    public String version() throws IOException, InterruptedException, ClickHouseException {
        return query("SELECT version()", Map.of()).strip();
    }

    /** Whether {@code version} is at least {@code major.minor}. */
    public static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private URI url(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>();
        if (!database.isEmpty()) {
            all.put("database", database);
        }
        all.putAll(params);
        return URI.create(baseUrl + "?" + all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private String send(URI uri, HttpRequest.BodyPublisher body) throws IOException, InterruptedException,
            ClickHouseException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", authorization)
                .POST(body).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new ClickHouseException(response.statusCode(),
                    response.headers().firstValue("X-ClickHouse-Exception-Code").orElse(null), response.body());
        }
        return response.body();
    }

    /** Whether a failed call may succeed when tried again. */
    public static boolean isTransient(Exception e) {
        return e instanceof IOException || e instanceof ClickHouseException c && c.isTransient();
    }
}
