package dev.sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.UsageException;
import dev.sluice.cli.run.EnvPlaceholders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import java.util.concurrent.Callable;

/**
 * {@code sluice query --server URL "SQL"}: the query API's client. A SELECT goes to /query-stream and
 * prints a table (or JSON lines); a push query (EMIT CHANGES) prints rows as they come until Ctrl-C
 * or --max-rows; any other statement goes to /ksql and prints its JSON answer.
 */
@Command(name = "query", description = "Ask a running application (sluice run --http-port) a query or statement.")
public final class QueryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "SQL", description = "a SELECT, or SHOW/DESCRIBE/EXPLAIN/ALTER/SET")
    String sql;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "e.g. http://127.0.0.1:8088")
    String server;

    @Option(names = "--user", paramLabel = "USER:PASSWORD", description = "basic auth; write the password as ${ENV_VAR}")
    String user;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "a PKCS12 trust store holding the server's certificate (or its CA), for an https:// server")
    java.nio.file.Path trustStore;

    @Option(names = "--tls-truststore-password", paramLabel = "PASSWORD", description = "the trust store's password, as ${ENV_VAR}")
    String trustStorePassword;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a bind parameter (:NAME) value")
    List<String> params = new ArrayList<>();

    @Option(names = "--format", description = "table or jsonl (default table)")
    String format = "table";

    @Option(names = "--max-rows", paramLabel = "N", description = "stop a push query after N rows")
    Long maxRows;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean select = sql.stripLeading().toUpperCase(java.util.Locale.ROOT).matches("(?s)^(SELECT|WITH)\\b.*");
        ObjectNode body = JSON.createObjectNode();
        body.put(select ? "sql" : "ksql", sql);
        ObjectNode ps = body.putObject("params");
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--param must be NAME=VALUE, not " + p);
            }
            String value = p.substring(eq + 1);
            if (value.matches("-?\\d+(\\.\\d+)?")) {
                ps.put(p.substring(0, eq), new java.math.BigDecimal(value));
            } else {
                ps.put(p.substring(0, eq), value);
            }
        }
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + (select ? "/query-stream" : "/ksql")))
                .header("Content-Type", "application/json")
                .header("Accept", "application/vnd.ksqlapi.delimited.v1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (user != null) {
            String pair = EnvPlaceholders.system().resolve("--user", user);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient.Builder clientBuilder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (trustStore != null) {
            clientBuilder.sslContext(trusting(trustStore, trustStorePassword == null ? null
                    : EnvPlaceholders.system().resolve("--tls-truststore-password", trustStorePassword)));
        }
        HttpClient client = clientBuilder.build();
        HttpResponse<java.io.InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            err.println("sluice: cannot reach " + server + ": " + e.getMessage());
            err.flush();
            return ExitCodes.INTERNAL;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                JsonNode error = JSON.readTree(reader);
                err.print(describe(error));
                err.flush();
                return response.statusCode() == 400 ? ExitCodes.DATA_ERROR : response.statusCode() == 401 ? ExitCodes.USAGE
                        : ExitCodes.INTERNAL;
            }
            if (!select) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(reader)));
                out.flush();
                return ExitCodes.OK;
            }
            return rows(reader, out);
        }
    }

    private int rows(BufferedReader reader, PrintWriter out) throws IOException {
        String first = reader.readLine();
        if (first == null) {
            return ExitCodes.INTERNAL;
        }
        JsonNode header = JSON.readTree(first);
        List<String> columns = new ArrayList<>();
        header.get("columnNames").forEach(c -> columns.add(c.asText()));
        boolean table = format.equals("table");
        List<ObjectNode> buffered = new ArrayList<>();
        boolean push = sql.toUpperCase(java.util.Locale.ROOT).contains("EMIT CHANGES");
        long n = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue; // a push query's heartbeat
            }
            JsonNode row = JSON.readTree(line);
            ObjectNode o = JSON.createObjectNode();
            for (int i = 0; i < columns.size(); i++) {
                o.set(columns.get(i), row.get(i));
            }
            if (table && !push) {
                buffered.add(o);
            } else {
                out.println(o);
                out.flush();
            }
            if (maxRows != null && ++n >= maxRows) {
                break;
            }
        }
        if (table && !push) {
            out.print(dev.sluice.cli.replay.TablePrinter.render(new dev.sluice.cli.replay.ReplayResult(columns, buffered, 0, 0)));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** TLS that trusts the certificates of {@code file} (PKCS12), instead of the JDK's default CAs. */
    private static javax.net.ssl.SSLContext trusting(java.nio.file.Path file, String password) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            var trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new UsageException("cannot use the trust store " + file + ": " + e.getMessage());
        }
    }

    /** The error with the statement's line, a caret under the position, and the hint. */
    private String describe(JsonNode error) {
        StringBuilder sb = new StringBuilder("sluice: ").append(error.path("message").asText(error.toString())).append('\n');
        if (error.has("position")) {
            int line = error.get("position").get("line").asInt();
            int column = error.get("position").get("column").asInt();
            String[] lines = sql.split("\n", -1);
            if (line >= 1 && line <= lines.length) {
                sb.append("  ").append(lines[line - 1]).append('\n').append("  ").append(" ".repeat(Math.max(0, column - 1))).append("^\n");
            }
        }
        if (error.has("hint")) {
            sb.append("hint: ").append(error.get("hint").asText()).append('\n');
        }
        return sb.toString();
    }

}
