package dev.sluice.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ClickHouse server (Debian's {@code clickhouse-server}, 18.16 on bookworm; {@code .ci/run}
 * installs it when missing) in a temporary directory, with its HTTP, native and interserver ports
 * on free ports of 127.0.0.1. Debian's own config is copied with the ports and paths rewritten. As
 * root it runs as the {@code clickhouse} user through {@code setpriv}, which execs the server, so
 * the process this class holds is the server itself and SIGTERM reaches it. Starts in about a second.
 */
public final class ClickHouseServer extends LocalServer {
    private static final Path BINARY = Path.of("/usr/sbin/clickhouse-server");
    private static final Path CONFIG = Path.of("/etc/clickhouse-server");
    private static ClickHouseServer shared;
    private final HttpClient client = HttpClient.newHttpClient();
    private Duration startupTime = Duration.ZERO;

    private ClickHouseServer(Path dir, int httpPort, Process process) {
        super(dir, httpPort, process, dir.resolve("log/stdout.log"));
    }

    /** One server per test JVM, stopped at exit. */
    public static synchronized ClickHouseServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "clickhouse-stop"));
        }
        return shared;
    }

    public static ClickHouseServer start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("ClickHouse is not installed: apt-get install -y --no-install-recommends "
                    + "clickhouse-server (.ci/run does this)");
        }
        long t0 = System.nanoTime();
        try {
            Path dir = Files.createTempDirectory("sluice-ch-");
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("log"));
            int http = freePort();
            String config = Files.readString(CONFIG.resolve("config.xml"))
                    .replace("<http_port>8123</http_port>", "<http_port>" + http + "</http_port>")
                    .replace("<tcp_port>9000</tcp_port>", "<tcp_port>" + freePort() + "</tcp_port>")
                    .replace("<interserver_http_port>9009</interserver_http_port>",
                            "<interserver_http_port>" + freePort() + "</interserver_http_port>")
                    .replace("/var/lib/clickhouse/", dir.resolve("data") + "/")
                    .replace("/var/log/clickhouse-server/", dir.resolve("log") + "/")
                    .replace("<listen_host>::1</listen_host>", "")
                    // DateTime values are written and read as UTC wall-clock text, as Sluice's are
                    .replace("</yandex>", "<timezone>UTC</timezone></yandex>");
            Files.writeString(dir.resolve("config.xml"), config);
            Files.copy(CONFIG.resolve("users.xml"), dir.resolve("users.xml"));
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                Process chown = new ProcessBuilder("chown", "-R", "clickhouse:clickhouse", dir.toString()).start();
                if (chown.waitFor() != 0) {
                    throw new IllegalStateException("chown of " + dir + " failed");
                }
                cmd.addAll(List.of("setpriv", "--reuid=clickhouse", "--regid=clickhouse", "--init-groups", "--"));
            }
            cmd.addAll(List.of(BINARY.toString(), "--config-file=" + dir.resolve("config.xml")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log/stdout.log").toFile()).start();
            ClickHouseServer server = new ClickHouseServer(dir, http, p);
            server.awaitReady("ClickHouse", server::answersPing);
            server.startupTime = Duration.ofNanos(System.nanoTime() - t0);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the server (SIGTERM, as a crash or a restart would) and keeps its directory; {@link #startAgain}
     * starts it on the same data and port. Only this object's successor may be closed afterwards.
     */
    public void stopKeepingData() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server of {@link #stopKeepingData}, started again on its data, config and port. */
    public ClickHouseServer startAgain() {
        try {
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("setpriv", "--reuid=clickhouse", "--regid=clickhouse", "--init-groups", "--"));
            }
            cmd.addAll(List.of(BINARY.toString(), "--config-file=" + dir.resolve("config.xml")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log/stdout.log").toFile())).start();
            ClickHouseServer server = new ClickHouseServer(dir, port, p);
            server.awaitReady("ClickHouse (restarted)", server::answersPing);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answersPing() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Runs statements one by one and returns the last one's answer (add FORMAT ... to shape it). */
    public String execute(String... statements) {
        String last = "";
        for (String sql : statements) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(sql + ": " + r.body());
                }
                last = r.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return last;
    }
}
