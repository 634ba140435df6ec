package dev.sluice.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Schema Registry for integration tests: Apicurio Registry 3 (in-memory storage), serving
 * the Confluent REST API at {@code /apis/ccompat/v7}. cli/pom.xml unpacks it into cli/target during
 * generate-test-resources (serdes/pom.xml does the same for serdes' tests). {@link #start} returns at
 * once so the registry boots (~6 s) while the test starts its broker; {@link #url} waits for it.
 *
 * <p>The plain REST calls here ({@link #latestId}, {@link #schemaById}) are deliberately not Sluice's
 * registry client: tests use them to check what Sluice registered from the outside.
 */
final class RegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();
    private boolean ready;

    private RegistryServer(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    static RegistryServer start() throws IOException {
        Path home = home();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = home.resolveSibling("apicurio-registry-" + port + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx384m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-jar", "apicurio-registry-app-3.0.9-runner.jar")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new RegistryServer(p, log, "http://127.0.0.1:" + port + "/apis/ccompat/v7");
    }

    private static Path home() {
        Path root = ItSupport.repoRoot();
        for (String module : new String[] {"cli", "serdes"}) {
            Path dir = root.resolve(module).resolve("target").resolve("apicurio-registry");
            if (Files.exists(dir.resolve("apicurio-registry-app-3.0.9-runner.jar"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Apicurio Registry is not unpacked under " + root.resolve("cli/target")
                + ": cli/pom.xml unpacks it in generate-test-resources (run the tests through Maven)");
    }

    /** The Confluent-compatible base URL, once the registry answers. */
    synchronized String url() {
        if (ready) {
            return url;
        }
        long start = System.nanoTime();
        // Only a registry that dies fails fast (isAlive below); a live one still starting is waited for:
        // 60 s was exceeded at a load average of 30 while the JVM starts in ~5 s on an idle core.
        long deadline = start + Duration.ofSeconds(240).toNanos();
        while (true) {
            try {
                if (get("/subjects").statusCode() == 200) {
                    ready = true;
                    return url;
                }
            } catch (IOException notYet) {
                // still booting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Apicurio Registry did not start; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** POST /subjects/{subject}/versions: registers an Avro schema as any producer would; returns its id. */
    int register(String subject, String avroSchema) throws IOException {
        String body = JSON.writeValueAsString(java.util.Map.of("schema", avroSchema));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("register " + subject + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asInt();
    }

    /** GET /subjects/{subject}/versions/latest: the id, or -1 when the subject does not exist. */
    int latestId(String subject) throws IOException {
        HttpResponse<String> r = get("/subjects/" + subject + "/versions/latest");
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("id").asInt() : -1;
    }

    /** GET /schemas/ids/{id}: the schema text, parsed by plain Avro. */
    org.apache.avro.Schema schemaById(int id) throws IOException {
        HttpResponse<String> r = get("/schemas/ids/" + id);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("schema id " + id + ": HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode node = JSON.readTree(r.body());
        return new org.apache.avro.Schema.Parser().parse(node.path("schema").asText());
    }

    private HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
