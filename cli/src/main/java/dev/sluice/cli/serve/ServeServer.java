package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.cli.ops.HttpServing;
import dev.sluice.cli.ops.OpsServer;
import dev.sluice.compiler.CompiledScript;
import dev.sluice.grammar.SqlException;
import dev.sluice.grammar.SqlParser;
import dev.sluice.grammar.ast.ParsedStatement;
import dev.sluice.runtime.metrics.SluiceMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The query API of one running instance, on the JDK's HTTP server shared with the ops endpoint
 * ({@link HttpServing}): ksqlDB's {@code POST /query-stream} and {@code POST /ksql}, the peer
 * endpoint {@code POST /internal/store}, the web console at {@code /}, and /health, /ready, /metrics.
 * With credentials configured every path but /health and /ready needs basic auth.
 *
 * <p>Created in two steps: {@link #bind} before Kafka Streams (the bound port is advertised as
 * {@code application.server} and the served stores are added to the topology), {@link #start} after.
 */
public final class ServeServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServing.Bound bound;
    private final ServeContext ctx;
    private final ServeOptions options;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong peerReads = new java.util.concurrent.atomic.AtomicLong();
    private QueryService queries;
    private KsqlStatements statements;
    private SourceManagement management;
    private volatile Runnable terminate;

    private ServeServer(HttpServing.Bound bound, ServeContext ctx, ServeOptions options) {
        this.bound = bound;
        this.ctx = ctx;
        this.options = options;
    }

    /** Listens, advertises this instance in {@code props} and adds the served stores to the script's topology. */
    public static ServeServer bind(ServeOptions options, String applicationSql, CompiledScript script, Properties props) {
        HttpServing.Bound bound = HttpServing.bind(new InetSocketAddress(options.bind(), options.port()), options.tls(), 16,
                "sluice-serve-http-", "--http-port");
        String host = options.advertise().orElse(options.bind().equals("0.0.0.0") || options.bind().equals("::")
                ? localHostName() : options.bind());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, host + ":" + bound.port());
        Map<String, ServedTables.Served> served = ServedTables.addTo(script);
        ServeContext ctx = new ServeContext(applicationSql, script, props, served, new HostInfo(host, bound.port()),
                options.credentials(), options.tls());
        return new ServeServer(bound, ctx, options);
    }

    /**
     * What ksqlDB's {@code TERMINATE ALL} does here: all queries of a script are one application, so it
     * stops the run ({@code sluice run} passes its graceful shutdown). Without it, TERMINATE is refused.
     */
    public void onTerminate(Runnable stopTheRun) {
        this.terminate = stopTheRun;
    }

    /** How many times peers read this instance's stores ({@code POST /internal/store}). */
    public long peerReads() {
        return peerReads.get();
    }

    public int port() {
        return bound.port();
    }

    public String url() {
        return (options.tls().isPresent() ? "https" : "http") + "://" + ctx.self().host() + ":" + port() + "/";
    }

    /** Starts answering for {@code streams}. */
    public void start(KafkaStreams streams) {
        ctx.attach(streams);
        start();
    }

    /** Starts answering for the run's client, whichever it is at the time of a request (RESET OFFSET replaces it). */
    public void start(dev.sluice.cli.run.RunningStreams streams) {
        ctx.attach(streams);
        start();
    }

    private void start() {
        queries = new QueryService(ctx);
        statements = new KsqlStatements(ctx);
        management = new SourceManagement(ctx);
        var server = bound.server();
        OpsServer.mount(server, ctx::streams, SluiceMetrics.global(), options.credentials());
        protect("/query-stream", exchange -> post(exchange, this::queryStream));
        protect("/ksql", exchange -> post(exchange, this::ksql));
        protect("/internal/store", exchange -> post(exchange, this::internalStore));
        protect("/internal/pause", exchange -> post(exchange, this::internalPause));
        protect("/console/state", exchange -> answer(exchange, () -> json(200, ConsoleState.of(ctx))));
        protect("/info", exchange -> answer(exchange, () -> json(200, info())));
        protect("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/") || exchange.getRequestURI().getPath().equals("/console")) {
                answer(exchange, () -> new Reply(200, "text/html; charset=utf-8", Console.html()));
            } else {
                answer(exchange, () -> json(404, error(40400, "not found: " + exchange.getRequestURI().getPath(), null)));
            }
        });
        bound.start();
    }

    private void protect(String path, HttpHandler handler) {
        HttpServing.protect(bound.server().createContext(path, handler), options.credentials());
    }

    private record Reply(int status, String contentType, byte[] body) {
    }

    private interface Handler {
        void handle(HttpExchange exchange, JsonNode body) throws IOException;
    }

    private interface ReplySupplier {
        Reply get() throws IOException;
    }

    private static Reply json(int status, Object body) throws IOException {
        return new Reply(status, "application/json", JSON.writeValueAsBytes(body));
    }

    private void answer(HttpExchange exchange, ReplySupplier supplier) throws IOException {
        Reply reply;
        try {
            reply = supplier.get();
        } catch (RuntimeException e) {
            reply = failure(e, null);
        }
        HttpServing.send(exchange, reply.status(), reply.contentType(), reply.body());
    }

    private void post(HttpExchange exchange, Handler handler) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            HttpServing.send(exchange, 405, "application/json", JSON.writeValueAsBytes(error(40500, "use POST", null)));
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            HttpServing.send(exchange, 400, "application/json",
                    JSON.writeValueAsBytes(error(40000, "the body is not JSON: " + e.getMessage(), null)));
            return;
        }
        try {
            handler.handle(exchange, body == null ? JSON.createObjectNode() : body);
        } catch (RuntimeException e) {
            Reply r = failure(e, text(body, "sql", "ksql"));
            try {
                HttpServing.send(exchange, r.status(), r.contentType(), r.body());
            } catch (IOException | RuntimeException alreadyStreaming) {
                exchange.close(); // the response had begun: the client sees the stream end
            }
        }
    }

    private Reply failure(RuntimeException e, String statement) {
        try {
            if (e instanceof SqlException sql) {
                ObjectNode err = error(40001, sql.getMessage(), statement);
                err.putObject("position").put("line", sql.line()).put("column", sql.column());
                sql.hint().ifPresent(h -> err.put("hint", h));
                return json(400, err);
            }
            if (e instanceof StoreReads.Unavailable) {
                return json(503, error(50300, e.getMessage(), statement));
            }
            if (e instanceof dev.sluice.cli.UsageException) {
                return json(400, error(40000, e.getMessage(), statement));
            }
            return json(500, error(50000, e.getClass().getSimpleName() + ": " + e.getMessage(), statement));
        } catch (IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
    }

    private static ObjectNode error(int code, String message, String statement) {
        ObjectNode err = JSON.createObjectNode();
        err.put("@type", statement == null ? "generic_error" : "statement_error");
        err.put("error_code", code);
        err.put("message", message);
        if (statement != null) {
            err.put("statementText", statement);
        }
        return err;
    }

    private static String text(JsonNode body, String... fields) {
        for (String f : fields) {
            if (body != null && body.hasNonNull(f)) {
                return body.get(f).asText();
            }
        }
        return null;
    }

    private static Map<String, JsonNode> object(JsonNode body, String... fields) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String f : fields) {
            if (body.has(f) && body.get(f).isObject()) {
                body.get(f).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** ksqlDB's /query-stream: a JSON array (Accept: application/json) or one JSON document per line. */
    private void queryStream(HttpExchange exchange, JsonNode body) throws IOException {
        String sql = text(body, "sql");
        if (sql == null) {
            throw new dev.sluice.cli.UsageException("the body needs \"sql\": \"SELECT ...\"");
        }
        String bound = BindParameters.bind(sql.strip().replaceFirst(";\\s*$", ""),
                object(body, "params", "parameters", "sessionVariables"));
        Map<String, JsonNode> properties = object(body, "properties", "streamsProperties");
        String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
        boolean array = accept.contains("application/json");
        RowWriter writer = new RowWriter(exchange, array);
        try {
            if (QueryService.isPush(bound)) {
                queries.push(bound, properties, writer, closed::get);
            } else {
                queries.pull(bound, writer);
            }
            writer.finish();
        } finally {
            if (writer.started) {
                exchange.close();
            }
        }
    }

    /** Writes the header and rows as they come; the status line goes out with the header. */
    private static final class RowWriter implements QueryService.RowSink {
        private final HttpExchange exchange;
        private final boolean array;
        private OutputStream out;
        private boolean started;
        private long lastWrite = System.nanoTime();

        RowWriter(HttpExchange exchange, boolean array) {
            this.exchange = exchange;
            this.array = array;
        }

        @Override
        public boolean header(QueryService.Header header) {
            try {
                exchange.getResponseHeaders().set("Content-Type", array ? "application/json" : "application/vnd.ksqlapi.delimited.v1");
                exchange.sendResponseHeaders(200, 0);
                started = true;
                out = exchange.getResponseBody();
                ObjectNode h = JSON.createObjectNode();
                h.put("queryId", header.queryId());
                ArrayNode names = h.putArray("columnNames");
                header.columnNames().forEach(names::add);
                ArrayNode types = h.putArray("columnTypes");
                header.columnTypes().forEach(types::add);
                if (!header.fromStandby().isEmpty()) {
                    // not in ksqlDB's header: rows of these partitions may lag their (absent) active owner
                    h.put("stale", true);
                    ArrayNode standby = h.putArray("fromStandby");
                    header.fromStandby().forEach(standby::add);
                }
                return write((array ? "[" : "") + JSON.writeValueAsString(h));
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean row(ArrayNode row) {
            try {
                if (row == null) {
                    // push heartbeat, at most once a second: whitespace is valid between array elements
                    return System.nanoTime() - lastWrite < 1_000_000_000L || write("");
                }
                return write((array ? "," : "") + JSON.writeValueAsString(row));
            } catch (IOException e) {
                return false;
            }
        }

        private boolean write(String text) {
            try {
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
                return true;
            } catch (IOException e) {
                return false; // the client went away
            }
        }

        void finish() {
            if (started && array) {
                write("]");
            }
        }
    }

    /** ksqlDB's /ksql: every statement of {@code "ksql"}, answered in order. */
    private void ksql(HttpExchange exchange, JsonNode body) throws IOException {
        String text = text(body, "ksql", "sql");
        if (text == null) {
            throw new dev.sluice.cli.UsageException("the body needs \"ksql\": \"SHOW STREAMS;\"");
        }
        String bound = BindParameters.bind(text, object(body, "params", "parameters", "sessionVariables"));
        ArrayNode results = JSON.createArrayNode();
        var explainId = statements.explainQueryId(bound);
        if (bound.strip().matches("(?is)TERMINATE\\b.*")) {
            terminate(exchange, bound);
            return;
        }
        if (explainId.isPresent()) {
            results.add(explainId.get());
        } else {
            for (ParsedStatement parsed : SqlParser.parseScript(bound).statements()) {
                results.add(statements.run(parsed.text()));
            }
        }
        HttpServing.send(exchange, 200, "application/json", JSON.writeValueAsBytes(results));
    }

    /** TERMINATE ALL: answers, then stops the run (on another thread: the stop closes this server). */
    private void terminate(HttpExchange exchange, String text) throws IOException {
        Runnable stop = terminate;
        if (!text.strip().matches("(?is)TERMINATE\\s+ALL\\s*;?")) {
            throw new dev.sluice.cli.UsageException("all queries of a script run as one application and stop together: "
                    + "TERMINATE ALL stops it");
        }
        if (stop == null) {
            throw new dev.sluice.cli.UsageException("TERMINATE ALL needs sluice run: this server cannot stop its application");
        }
        ArrayNode results = JSON.createArrayNode();
        results.addObject().put("@type", "currentStatus").put("statementText", text.strip()).put("status", "TERMINATING")
                .put("message", "every query stops: the application closes, leaving its consumer group");
        HttpServing.send(exchange, 200, "application/json", JSON.writeValueAsBytes(results));
        Thread stopper = new Thread(stop, "sluice-terminate");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** A peer asks for some partitions of one of this instance's stores (or one key in them). */
    private void internalStore(HttpExchange exchange, JsonNode body) throws IOException {
        peerReads.incrementAndGet();
        String store = text(body, "store");
        Set<Integer> partitions = new TreeSet<>();
        body.path("partitions").forEach(p -> partitions.add(p.asInt()));
        byte[] key = body.hasNonNull("key") ? Base64.getDecoder().decode(body.get("key").asText()) : null;
        List<StoreReads.Entry> entries;
        try {
            entries = StoreReads.local(ctx.streams(), store, partitions, key, body.path("stale").asBoolean(false));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            HttpServing.send(exchange, 503, "application/json",
                    JSON.writeValueAsBytes(error(50300, "not here right now: " + e.getMessage(), null)));
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("entries");
        Base64.Encoder b64 = Base64.getEncoder();
        for (StoreReads.Entry e : entries) {
            list.addArray().add(b64.encodeToString(e.key())).add(b64.encodeToString(e.value()));
        }
        HttpServing.send(exchange, 200, "application/json", JSON.writeValueAsBytes(out));
    }

    /** A peer passes on a PAUSE or RESUME of some source topics. */
    private void internalPause(HttpExchange exchange, JsonNode body) throws IOException {
        List<String> topics = new java.util.ArrayList<>();
        body.path("topics").forEach(t -> topics.add(t.asText()));
        management.applyPause(topics, body.path("pause").asBoolean());
        HttpServing.send(exchange, 200, "application/json", JSON.writeValueAsBytes(Map.of("paused",
                ctx.pauses().map(p -> p.paused()).orElse(Set.of()))));
    }

    private Map<String, Object> info() {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("version", "sluice");
        server.put("applicationId", ctx.application().applicationId());
        server.put("serverStatus", ctx.streams().state().toString());
        server.put("applicationServer", ctx.self().host() + ":" + ctx.self().port());
        return Map.of("KsqlServerInfo", server);
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // a statement that stops the application (RESET OFFSET) still gets its answer
            bound.stop(2);
            ctx.close();
        }
    }

}
